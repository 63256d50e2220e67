"""Public reads for the incidents API: no sensitive, hidden or held cases; the abuse list.

These belong with `workflows.selectors`; they live here until that module takes them. The detail
page uses `workflows.selectors.incident_for_tracking`, shared with the portal's tracking page.
"""

import re

from django.db.models import Q, QuerySet

from workflows.models import Incident
from workflows.selectors import contact_is_blocked, phone_normalize  # noqa: F401  (re-exported)

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
