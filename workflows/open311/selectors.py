"""Reads behind Open311: the services offered, the public service requests, the integrators' keys."""

import hashlib
import hmac
import re
from datetime import datetime

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from cms_content.models import IncidentCategory
from cms_content.selectors import category_reportable_list
from workflows.models import Incident, IncidentEvent, IncidentPhoto, IncidentStatus, IntegratorKey

# The spec's default query limit: "a span of 90 days or first 1000 requests returned".
MAX_REQUESTS = 1000
KEY_PREFIX_LENGTH = 8
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,200}$")

CLOSED_STATUSES = [IncidentStatus.RESOLVED, IncidentStatus.CLOSED, IncidentStatus.REJECTED]


def open311_status(status: str) -> str:
    """The spec's two statuses: resolved, closed and rejected cases are "closed", the rest "open"."""
    return "closed" if status in CLOSED_STATUSES else "open"


def _publicly_visible_categories(prefix: str = "") -> Q:
    # IncidentCategory.is_publicly_visible as a filter: category and section public, neither sensitive.
    return Q(**{f"{prefix}public": True, f"{prefix}sensitive": False}) & (
        Q(**{f"{prefix}parent__isnull": True})
        | Q(**{f"{prefix}parent__public": True, f"{prefix}parent__sensitive": False})
    )


def open311_service_list() -> QuerySet[IncidentCategory]:
    """Sub-sections offered as services: reportable, publicly visible, and not an emergency to phone in."""
    return category_reportable_list().filter(_publicly_visible_categories(), blocks_form=False)


def open311_service_get(*, service_code: str) -> IncidentCategory | None:
    """The service behind a code, or None when unknown, sensitive, non-public or not reportable."""
    return open311_service_list().filter(slug=service_code).first()


def open311_services_changed_at() -> datetime | None:
    """When an editor last published a category (the discovery document's changeset), if ever."""
    return IncidentCategory.objects.aggregate(latest=Max("last_published_at"))["latest"]


def open311_public_requests() -> QuerySet[Incident]:
    """Incidents anyone may see, with what a service request shows, newest first.

    Never held-for-review reports, never sensitive or non-public categories. Contact fields are loaded but
    the serializer never reads them.
    """
    latest_public_note = (
        IncidentEvent.objects.filter(incident=OuterRef("pk"), public=True)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("note")[:1]
    )
    return (
        Incident.objects.filter(_publicly_visible_categories("category__"), held_for_review=False)
        .select_related("category", "category__parent", "responsible_actor")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=IncidentPhoto.objects.filter(is_evidence=False).order_by("created_at", "id"),
                to_attr="citizen_photos",
            )
        )
        .annotate(open311_status_notes=Subquery(latest_public_note))
        .order_by("-created_at", "-id")
    )


def open311_request_list(
    *,
    service_request_ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
) -> list[Incident]:
    """Public service requests, at most MAX_REQUESTS; ids, when given, override every other filter."""
    incidents = open311_public_requests()
    if service_request_ids:
        return list(incidents.filter(folio__in=service_request_ids)[:MAX_REQUESTS])
    if service_codes:
        incidents = incidents.filter(category__slug__in=service_codes)
    if start is not None:
        incidents = incidents.filter(created_at__gte=start)
    if end is not None:
        incidents = incidents.filter(created_at__lte=end)
    if statuses and set(statuses) != {"open", "closed"}:
        if "closed" in statuses:
            incidents = incidents.filter(status__in=CLOSED_STATUSES)
        else:
            incidents = incidents.exclude(status__in=CLOSED_STATUSES)
    return list(incidents[:MAX_REQUESTS])


def open311_request_get(*, service_request_id: str) -> Incident | None:
    """One public service request by its folio, or None (unknown, sensitive or held: the same answer)."""
    return open311_public_requests().filter(folio=service_request_id).first()


def integrator_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def integrator_key_for(*, key: str) -> IntegratorKey | None:
    """The active integrator whose key this is, or None.

    Candidates come by prefix; hashes are then compared in constant time, so response times do not
    tell how much of a guessed key was right.
    """
    if not key or not _KEY_SHAPE.match(key):
        return None
    digest = integrator_key_hash(key)
    for candidate in IntegratorKey.objects.filter(prefix=key[:KEY_PREFIX_LENGTH], active=True):
        if hmac.compare_digest(candidate.key_hash, digest):
            return candidate
    return None
