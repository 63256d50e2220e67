"""Reads of incidents, scoped by who is looking."""

import hmac
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet

from workflows.models import BlockedContact, Incident, IncidentEvent, IncidentPhoto


def incident_public_get(*, folio: str, secret: str | None = None) -> Incident | None:
    """The incident behind a folio for anyone: public and not held for review, or opened by its secret."""
    incident = (
        Incident.objects.select_related("category", "category__parent", "responsible_actor", "neighbourhood")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    if incident.category.is_publicly_visible and not incident.held_for_review:
        return incident
    if secret and secrets_equal(secret, incident.tracking_secret):
        return incident
    return None


@dataclass
class TrackedIncident:
    """What a tracking page may show of an incident: never identity, never internal notes."""

    incident: Incident
    events: list[IncidentEvent] = field(default_factory=list)
    photos: list[IncidentPhoto] = field(default_factory=list)
    via_secret: bool = False


def incident_for_tracking(*, folio: str, user, secret: str | None = None) -> TrackedIncident | None:
    """The incident behind a tracking page, or None when this viewer may not see it.

    Public categories are open to everyone (unless held for review); sensitive ones only with the
    secret link, to their reporter, or to staff who may see them.
    """
    incident = (
        Incident.objects.select_related("category", "category__parent", "responsible_actor", "neighbourhood")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    via_secret = bool(secret) and secrets_equal(secret, incident.tracking_secret)
    is_reporter = user.is_authenticated and incident.reporter_id == user.pk
    is_staff_viewer = (
        user.is_authenticated and incident_list_for_user(user=user).filter(pk=incident.pk).exists()
    )
    publicly_visible = incident.category.is_publicly_visible and not incident.held_for_review
    if not (publicly_visible or via_secret or is_reporter or is_staff_viewer):
        return None
    if not incident.category.is_publicly_visible:
        via = "staff" if is_staff_viewer else "reporter" if is_reporter else "secret_link"
        sensitive_read_log(incident=incident, user=user, via=via, what="tracking")
    events = list(incident.events.filter(public=True).order_by("created_at", "id"))
    photos = list(incident.photos.filter(is_evidence=False))
    return TrackedIncident(incident=incident, events=events, photos=photos, via_secret=via_secret)


def sensitive_read_log(*, incident: Incident, user, via: str, what: str) -> None:
    """Record one read of a sensitive case (selectors call it where the read happens)."""
    from workflows.models import SensitiveReadLog

    SensitiveReadLog.objects.create(
        incident=incident,
        user=user if user is not None and user.is_authenticated else None,
        via=via,
        what=what,
    )


def secrets_equal(given: str, expected: str) -> bool:
    """Constant-time comparison of a tracking secret."""
    return hmac.compare_digest(str(given).encode(), expected.encode())


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


def incident_photo_is_public(*, photo: IncidentPhoto) -> bool:
    """Whether anyone may see this photo: a citizen photo of a published incident in a public category."""
    incident = photo.incident
    return not photo.is_evidence and not incident.held_for_review and incident.category.is_publicly_visible


def incident_photo_for_viewer(*, uid, user, tracking_secret: str | None = None) -> IncidentPhoto | None:
    """The photo `uid` if this viewer may see it, else None (callers answer 404 and never say it exists).

    Public photos are seen by anyone; the others by the reporter, by staff who may see the incident
    (`incident_list_for_user`), or with the incident's tracking secret.
    """

    try:
        uid = uuid.UUID(str(uid))
    except ValueError:
        return None
    photo = (
        IncidentPhoto.objects.select_related("incident", "incident__category", "incident__category__parent")
        .filter(uid=uid)
        .first()
    )
    if photo is None:
        return None
    if incident_photo_is_public(photo=photo):
        return photo
    incident = photo.incident
    via = None
    if tracking_secret and secrets_equal(tracking_secret, incident.tracking_secret):
        via = "secret_link"
    elif user is not None and user.is_authenticated:
        if incident.reporter_id == user.pk:
            via = "reporter"
        elif incident_list_for_user(user=user).filter(pk=incident.pk).exists():
            via = "staff"
    if via is None:
        return None
    if not incident.category.is_publicly_visible:
        sensitive_read_log(incident=incident, user=user, via=via, what="photo")
    return photo


_PHONE_KEEP = re.compile(r"[^\d+]")


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
