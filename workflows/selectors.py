"""Reads of incidents, scoped by who is looking."""

from django.db.models import QuerySet

from workflows.models import Incident


def incident_public_get(*, folio: str, secret: str | None = None) -> Incident | None:
    """The incident behind a tracking link; sensitive ones need their secret link."""
    incident = (
        Incident.objects.select_related("category", "category__parent", "responsible_actor", "neighbourhood")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    if not incident.category.is_publicly_visible and secret != incident.tracking_secret:
        return None
    return incident


def incident_list_for_user(*, user) -> QuerySet[Incident]:
    """Incidents a signed-in user may see: their own as a citizen; their actors' as staff; all as auditor."""
    if not user.is_authenticated:
        return Incident.objects.none()
    if user.is_superuser or user.has_perm("workflows.audit_incident"):
        return Incident.objects.all()
    own = Incident.objects.filter(reporter=user)
    actor_ids = list(user.actor_memberships.values_list("actor_id", flat=True))
    if not actor_ids:
        return own
    staff = Incident.objects.filter(responsible_actor_id__in=actor_ids)
    if not user.has_perm("workflows.view_sensitive_incident"):
        staff = staff.exclude(category__sensitive=True)
    return own | staff
