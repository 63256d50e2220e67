"""Possible duplicates: open public incidents of the same sub-section near a point."""

import math

from django.db.models import QuerySet

from cms_content.models import IncidentCategory
from workflows.models import OPEN_STATUSES, Incident

EARTH_RADIUS_M = 6_371_000
MAX_SHOWN = 5


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine); plenty precise at city scale."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _bounding_box(queryset: QuerySet, lat: float, lon: float, radius_m: float) -> QuerySet:
    # A cheap index-friendly prefilter before the exact distance in Python.
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return queryset.filter(
        latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon)
    )


def incident_nearby_open_list(*, category: IncidentCategory, lat: float, lon: float) -> list[Incident]:
    """Open, public, not-held incidents of `category` within its duplicate radius, nearest first."""
    radius = category.duplicate_radius_m
    if not radius or not category.is_publicly_visible:
        return []
    candidates = _bounding_box(
        Incident.objects.filter(category=category, status__in=OPEN_STATUSES, held_for_review=False),
        lat,
        lon,
        radius,
    ).select_related("category", "neighbourhood")
    near = []
    for incident in candidates[:200]:
        meters = distance_m(lat, lon, incident.latitude, incident.longitude)
        if meters <= radius:
            incident.distance_m = round(meters)
            near.append(incident)
    return sorted(near, key=lambda incident: incident.distance_m)[:MAX_SHOWN]
