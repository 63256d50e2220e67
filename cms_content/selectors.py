"""Reads of the platform's reference data (taxonomy, actors, neighbourhoods)."""

from itertools import combinations

from django.db.models import QuerySet
from shapely.geometry import shape

from cms_content.geo import boundary_contains, in_comuna
from cms_content.models import Actor, CategoryRouting, IncidentCategory, Neighbourhood


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
    routing = None
    if neighbourhood is not None:
        routing = (
            CategoryRouting.objects.filter(category=category, neighbourhood=neighbourhood)
            .select_related("responsible_actor")
            .first()
        )
    if routing is not None:
        supporting = list(routing.supporting_actors.all()) or list(category.supporting_actors.all())
        return routing.responsible_actor, supporting
    return category.responsible_actor, list(category.supporting_actors.all())


OVERLAP_TOLERANCE = 1e-9  # square degrees (~0.01 m²): shared edges are not overlaps


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
