"""Public directory of actors: the list with search and map, and one page per actor. Thin: selectors read."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from cms_content.selectors import (
    actor_directory,
    actor_map_points,
    actor_public_profile,
    attention_session_index_page,
    directory_query_clean,
)


def _with_urls(points: list[dict]) -> list[dict]:
    return [{**point, "url": reverse("portal:actor_detail", args=[point["slug"]])} for point in points]


def directory_index(request):
    """Active actors by group, a search box (GET ?q=, works without JavaScript) and their map."""
    query = directory_query_clean(request.GET.get("q"))
    groups = actor_directory(query=query)
    actors = [actor for group in groups for actor in group["actors"]]
    return render(
        request,
        "portal/directory/index.html",
        {
            "query": query,
            "groups": groups,
            "result_count": len(actors),
            "map_points": _with_urls(actor_map_points(actors=actors)),
            "sessions_index": attention_session_index_page(),
        },
    )


def actor_detail(request, slug: str):
    """One actor's public page: contacts, hours, coverage, map and its catalogue of procedures."""
    profile = actor_public_profile(slug=slug)
    if profile is None:
        raise Http404(slug)
    return render(
        request,
        "portal/directory/actor_detail.html",
        {
            "profile": profile,
            "actor": profile.actor,
            "map_points": _with_urls(actor_map_points(actors=[profile.actor])),
        },
    )
