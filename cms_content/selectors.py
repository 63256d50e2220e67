"""Reads of the platform's reference data (taxonomy, actors, neighbourhoods)."""

import re
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.db.models import Q, QuerySet
from django.utils import timezone
from shapely.geometry import shape

from cms_content.geo import LatLon, boundary_contains, in_comuna, parse_point
from cms_content.models import (
    Actor,
    ActorGroup,
    ActorService,
    AttentionSessionIndexPage,
    AttentionSessionPage,
    CategoryRouting,
    IncidentCategory,
    Neighbourhood,
)


def neighbourhood_for_point(*, lat: float, lon: float) -> Neighbourhood | None:
    """The active neighbourhood whose polygon covers the point, or None (outside every polygon)."""
    if not in_comuna(lat, lon):
        return None
    for neighbourhood in Neighbourhood.objects.filter(active=True):
        if boundary_contains(neighbourhood.boundary, lat=lat, lon=lon):
            return neighbourhood
    return None


def category_reportable_list() -> QuerySet[IncidentCategory]:
    """Sub-sections citizens may report, with their section, in display order."""
    return (
        IncidentCategory.objects.reportable()
        .select_related("parent", "responsible_actor")
        .order_by("parent__sort_order", "parent__name", "sort_order", "name")
    )


def section_list() -> QuerySet[IncidentCategory]:
    return IncidentCategory.objects.sections().filter(live=True, active=True).order_by("sort_order", "name")


def emergency_number_list() -> list[dict]:
    """Emergency numbers of active actors, shortest first (133 before long numbers), one per number."""
    seen: dict[str, dict] = {}
    for actor in Actor.objects.filter(active=True).exclude(emergency_phone="").order_by("emergency_phone"):
        seen.setdefault(actor.emergency_phone, {"number": actor.emergency_phone, "actor": actor})
    return sorted(seen.values(), key=lambda item: (len(item["number"]), item["number"]))


def category_route(
    *, category: IncidentCategory, neighbourhood: Neighbourhood | None
) -> tuple[Actor | None, list]:
    """The responsible and supporting actors of a category, taking its per-neighbourhood routing first."""
    routing = _neighbourhood_routing(category, neighbourhood)
    if routing is not None:
        supporting = list(routing.supporting_actors.all()) or list(category.supporting_actors.all())
        return routing.responsible_actor, supporting
    return category.responsible_actor, list(category.supporting_actors.all())


def category_responsible_actor(
    *, category: IncidentCategory, neighbourhood: Neighbourhood | None
) -> Actor | None:
    """The responsible actor alone (what a new report needs; the flows read the supporters later)."""
    routing = _neighbourhood_routing(category, neighbourhood)
    return routing.responsible_actor if routing is not None else category.responsible_actor


def _neighbourhood_routing(category: IncidentCategory, neighbourhood: Neighbourhood | None):
    if neighbourhood is None:
        return None
    return (
        CategoryRouting.objects.filter(category=category, neighbourhood=neighbourhood)
        .select_related("responsible_actor")
        .first()
    )


OVERLAP_TOLERANCE = 1e-9  # square degrees (~9 m² at Coyhaique's latitude): shared edges are not overlaps


def _edit_url(model_name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(f"wagtailsnippets_cms_content_{model_name}:edit", args=[pk])


def reference_data_gaps() -> dict[str, list[dict]]:
    """What editors should fix before it breaks routing: each gap as {label, url}."""
    sub_sections = IncidentCategory.objects.filter(parent__isnull=False, active=True).select_related("parent")
    gaps = {
        "categories_without_actor": [
            {"label": str(c), "url": _edit_url("incidentcategory", c.pk)}
            for c in sub_sections.filter(responsible_actor__isnull=True)
        ],
        "categories_without_settings": [
            {"label": str(c), "url": _edit_url("incidentcategory", c.pk)}
            for c in sub_sections.filter(workflow_settings__isnull=True)
        ],
        "actors_without_contact": [
            {"label": a.name, "url": _edit_url("actor", a.pk)}
            for a in Actor.objects.filter(active=True, phones="", emergency_phone="", email="")
        ],
        "overlapping_neighbourhoods": [],
    }
    neighbourhoods = [(n, shape(n.boundary)) for n in Neighbourhood.objects.filter(active=True)]
    for (first, first_shape), (second, second_shape) in combinations(neighbourhoods, 2):
        if first_shape.is_valid and second_shape.is_valid:
            if first_shape.intersection(second_shape).area > OVERLAP_TOLERANCE:
                gaps["overlapping_neighbourhoods"].append(
                    {"label": f"{first.name} / {second.name}", "url": _edit_url("neighbourhood", first.pk)}
                )
    return gaps


# --- Public directory of actors and joint attention sessions -------------------------------------------

# A search box is free text from anyone: bound what reaches the database.
DIRECTORY_QUERY_MAX_LENGTH = 100
DIRECTORY_QUERY_MAX_WORDS = 5
PAST_SESSIONS_SHOWN = 24


@dataclass(frozen=True)
class PhoneLink:
    """A phone number as written by editors (`label`) and as dialled from a tel: link (`dial`)."""

    label: str
    dial: str


@dataclass(frozen=True)
class ActorProfile:
    """Everything the public page of one actor shows."""

    actor: Actor
    phones: list[PhoneLink]
    point: LatLon | None
    coverage: list[Neighbourhood]
    services: list[ActorService]
    upcoming_sessions: list[AttentionSessionPage]


def directory_query_clean(query: str | None) -> str:
    """The search text cut to a sane length, without control characters (PostgreSQL refuses NUL)."""
    text = (query or "")[:DIRECTORY_QUERY_MAX_LENGTH]
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def actor_directory(*, query: str = "") -> list[dict]:
    """Active actors by group, in the seed's group order; each word of `query` must match somewhere.

    A word matches the name, the description or the name of one of the actor's procedures (Spanish or
    English). Returns [{"group", "label", "actors"}], leaving out groups with no actor.
    """
    actors = Actor.objects.filter(active=True)
    for word in directory_query_clean(query).split()[:DIRECTORY_QUERY_MAX_WORDS]:
        matching = Actor.objects.filter(
            Q(name__icontains=word)
            | Q(name_en__icontains=word)
            | Q(description__icontains=word)
            | Q(description_en__icontains=word)
            | Q(services__name__icontains=word)
            | Q(services__name_en__icontains=word)
        )
        # A subquery per word, so matching several procedures never repeats an actor.
        actors = actors.filter(pk__in=matching.values("pk"))
    by_group: dict[str, list[Actor]] = {}
    for actor in actors.order_by("name"):
        by_group.setdefault(actor.group, []).append(actor)
    return [
        {"group": group.value, "label": group.label, "actors": by_group[group.value]}
        for group in ActorGroup
        if group.value in by_group
    ]


def actor_map_points(*, actors: list[Actor]) -> list[dict]:
    """Map pins of the actors that have a location: {"slug", "name", "address", "lat", "lon"}."""
    points = []
    for actor in actors:
        point = parse_point(actor.location)
        if point is not None:
            points.append(
                {
                    "slug": actor.slug,
                    "name": actor.display_name,
                    "address": actor.address,
                    "lat": point.lat,
                    "lon": point.lon,
                }
            )
    return points


def phone_links(text: str) -> list[PhoneLink]:
    """Split an actor's phones field ("2 2345 6789 / 132") into dialable links; skips parts with no digit."""
    links = []
    for part in re.split(r"[/;,]", text or ""):
        label = part.strip()
        dial = re.sub(r"[^\d+]", "", label)
        if any(ch.isdigit() for ch in dial):
            links.append(PhoneLink(label=label, dial=dial))
    return links


def actor_public_profile(*, slug: str) -> ActorProfile | None:
    """The public page of an active actor, or None when the slug is unknown or the actor inactive."""
    actor = Actor.objects.filter(slug=slug, active=True).first()
    if actor is None:
        return None
    coverage = [] if actor.covers_whole_comuna else list(actor.coverage.filter(active=True).order_by("name"))
    return ActorProfile(
        actor=actor,
        phones=phone_links(actor.phones),
        point=parse_point(actor.location),
        coverage=coverage,
        services=list(actor.services.order_by("sort_order", "name")),
        upcoming_sessions=list(
            AttentionSessionPage.objects.live()
            .filter(participants__actor=actor, date__gte=timezone.localdate())
            .distinct()
            .order_by("date", "start_time")
        ),
    )


def attention_session_index_page() -> AttentionSessionIndexPage | None:
    """The live list of joint attention sessions, if there is one (to link to it)."""
    return AttentionSessionIndexPage.objects.live().first()


def attention_session_lists(
    *, index: AttentionSessionIndexPage, today: date | None = None
) -> tuple[list[AttentionSessionPage], list[AttentionSessionPage]]:
    """Live sessions under `index`: upcoming (today included) soonest first, then recent past ones."""
    today = today or timezone.localdate()
    sessions = AttentionSessionPage.objects.child_of(index).live().prefetch_related("participants__actor")
    upcoming = sessions.filter(date__gte=today).order_by("date", "start_time")
    past = sessions.filter(date__lt=today).order_by("-date", "-start_time")[:PAST_SESSIONS_SHOWN]
    return list(upcoming), list(past)
