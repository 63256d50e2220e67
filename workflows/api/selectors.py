"""Public reads for the incidents API: no sensitive, hidden or held cases; the abuse list.

These belong with `workflows.selectors`; they live here until that module takes them. The detail
page uses `workflows.selectors.incident_for_tracking`, shared with the portal's tracking page.
"""

import re

from django.db.models import Q, QuerySet

from workflows.models import BlockedContact, Incident

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


def incident_public_by_folio(*, folio: str) -> Incident | None:
    """A publicly visible incident by its folio (what anyone may act on, e.g. support); None otherwise."""
    return incident_public_list().filter(folio=folio).first()


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
