"""Public reads of incidents for the API (anyone may call them): no sensitive, hidden or held cases.

These belong with `workflows.selectors`; they live here until that module takes them.
"""

import re
import secrets

from django.db.models import Q, QuerySet

from workflows.models import BlockedContact, Incident, IncidentEvent

_PHONE_KEEP = re.compile(r"[^\d+]")


def _publicly_visible() -> Q:
    # Mirrors IncidentCategory.is_publicly_visible for a sub-section under its section.
    return Q(
        held_for_review=False,
        category__public=True,
        category__sensitive=False,
        category__parent__public=True,
        category__parent__sensitive=False,
    )


def incident_public_list() -> QuerySet[Incident]:
    """Incidents anyone may see in lists and maps: public categories only, none held for review."""
    return (
        Incident.objects.filter(_publicly_visible())
        .select_related("category", "category__parent", "neighbourhood", "responsible_actor")
        .order_by("-created_at", "-id")
    )


def incident_public_detail(*, folio: str, secret: str | None = None) -> Incident | None:
    """The incident behind a public link; sensitive, hidden or held ones only with their tracking secret."""
    incident = (
        Incident.objects.select_related("category", "category__parent", "neighbourhood", "responsible_actor")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    visible = incident.category.is_publicly_visible and not incident.held_for_review
    if visible:
        return incident
    if secret and secrets.compare_digest(
        secret.encode("utf-8", "surrogatepass"), incident.tracking_secret.encode()
    ):
        return incident
    return None


def incident_public_timeline(*, incident: Incident) -> QuerySet[IncidentEvent]:
    """The events of an incident marked visible to citizens, oldest first."""
    return incident.events.filter(public=True).order_by("created_at", "id")


def phone_normalize(value: str) -> str:
    """A phone as BlockedContact stores it: digits and + only."""
    return _PHONE_KEEP.sub("", value or "")


def _phone_variants(phone: str) -> set[str]:
    # Chilean numbers are written with or without the country code: +56 9 1234 5678, 56912345678, 912345678.
    variants = {phone}
    digits = phone.lstrip("+")
    if digits.startswith("56") and len(digits) > 9:
        variants |= {digits, f"+{digits}", digits[2:]}
    elif len(digits) == 9:
        variants |= {digits, f"56{digits}", f"+56{digits}"}
    return {v for v in variants if v}


def contact_is_blocked(*, email: str = "", phone: str = "") -> bool:
    """Whether the e-mail or phone is on the abuse list (BlockedContact)."""
    values: set[str] = set()
    if email and email.strip():
        values.add(email.strip().lower())
    normalized = phone_normalize(phone)
    if normalized:
        values |= _phone_variants(normalized)
    return bool(values) and BlockedContact.objects.filter(value__in=values).exists()
