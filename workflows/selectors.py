"""Reads of incidents, scoped by who is looking."""

import hmac
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cms_content.models import ActorMembership
from workflows.coordination_models import IncidentSubtask, SubtaskStatus
from workflows.models import BlockedContact, Incident, IncidentEvent, IncidentPhoto
from workflows.permissions import user_actor_ids


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
        # A reporter is in their own incident list too: say "reporter", not "staff".
        via = "reporter" if is_reporter else "staff" if is_staff_viewer else "secret_link"
        sensitive_read_log(incident=incident, user=user, via=via, what="tracking")
    if timeline_is_hidden(incident=incident):
        # Protected cases: the tracking page shows the status only, never what happened or who acted.
        return TrackedIncident(incident=incident, via_secret=via_secret)
    events = list(incident.events.filter(public=True).order_by("created_at", "id"))
    photos = list(incident.photos.filter(is_evidence=False))
    return TrackedIncident(incident=incident, events=events, photos=photos, via_secret=via_secret)


def timeline_is_hidden(*, incident: Incident) -> bool:
    """Whether the public timeline of this incident is withheld: sensitive categories and protected flows."""
    from cms_content.models import FlowKind
    from workflows.deadlines import workflow_settings_for

    if incident.category.sensitive:
        return True
    return workflow_settings_for(incident.category).flow_kind == FlowKind.PROTECTED


def incident_read_log_if_sensitive(*, incident: Incident | None, user, what: str) -> None:
    """Log a staff screen's read of a case when its category is not public (auditors are logged as such)."""
    if incident is None or incident.category.is_publicly_visible:
        return
    in_actor = user.is_authenticated and user.actor_memberships.exists()
    via = "audit" if user.has_perm("workflows.audit_incident") and not in_actor else "staff"
    sensitive_read_log(incident=incident, user=user, via=via, what=what)


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
    # Staff see their actors' incidents and those where their actor holds a sub-task (coordination,
    # emergency dispatch, protection referral); a referred sub-task no longer counts for the old actor.
    staff = Incident.objects.filter(
        Q(responsible_actor_id__in=actor_ids)
        | Q(pk__in=_subtask_incident_ids(actor_ids=actor_ids))
    )
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


def incident_involved_actor_ids(*, incident_id: int) -> set[int]:
    """Actors working an incident: the responsible actor and every actor holding one of its sub-tasks.

    The contract `chat` uses for an incident's coordination room: chat never reads workflows models.
    """
    incident = Incident.objects.filter(pk=incident_id).only("responsible_actor_id").first()
    if incident is None:
        return set()
    actor_ids = set(
        IncidentSubtask.objects.filter(incident_id=incident_id)
        .exclude(status=SubtaskStatus.CANCELLED)
        .values_list("actor_id", flat=True)
    )
    if incident.responsible_actor_id is not None:
        actor_ids.add(incident.responsible_actor_id)
    return actor_ids


def _subtask_incident_ids(*, actor_ids):
    return (
        IncidentSubtask.objects.filter(actor_id__in=actor_ids)
        .exclude(status=SubtaskStatus.CANCELLED)
        .values("incident_id")
    )


def incident_coordination_user_ids(*, incident_id: int) -> set[int]:
    """Staff who may read and write an incident's coordination thread: members of every involved actor."""
    actor_ids = incident_involved_actor_ids(incident_id=incident_id)
    members = ActorMembership.objects.filter(actor_id__in=actor_ids, user__is_active=True)
    if Incident.objects.filter(pk=incident_id, category__sensitive=True).exists():
        # Sensitive cases: only staff who may see sensitive incidents join the thread (protected flow).
        may_see = (
            Q(user__is_superuser=True)
            | Q(user__groups__permissions__codename="view_sensitive_incident")
            | Q(user__user_permissions__codename="view_sensitive_incident")
        )
        members = members.filter(may_see)
    return set(members.values_list("user_id", flat=True).distinct())


# coordination: sub-tasks of several actors on one incident


def subtask_of_task(*, task) -> IncidentSubtask | None:
    """The sub-task a viewflow task works on (`task.data["subtask_id"]`), if any."""
    subtask_id = (task.data or {}).get("subtask_id")
    if not subtask_id:
        return None
    return IncidentSubtask.objects.select_related("incident__category", "actor").filter(pk=subtask_id).first()


def user_may_work_subtask(*, user, subtask: IncidentSubtask) -> bool:
    """Staff of the sub-task's actor (sensitive cases: with `view_sensitive_incident`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.actor_memberships.filter(actor_id=subtask.actor_id).exists():
        return False
    return not subtask.incident.category.sensitive or user.has_perm("workflows.view_sensitive_incident")


def subtask_task_in_scope(*, user, task) -> bool:
    subtask = subtask_of_task(task=task)
    return subtask is not None and user_may_work_subtask(user=user, subtask=subtask)


def subtask_list_for_user(*, user, open_only: bool = False) -> QuerySet[IncidentSubtask]:
    """Sub-tasks held by the user's actors (coordination task list); sensitive ones need the permission."""
    if not user.is_authenticated:
        return IncidentSubtask.objects.none()
    subtasks = IncidentSubtask.objects.select_related("incident", "incident__category", "actor").exclude(
        status=SubtaskStatus.CANCELLED
    )
    if not user.is_superuser:
        actor_ids = list(user.actor_memberships.values_list("actor_id", flat=True))
        subtasks = subtasks.filter(actor_id__in=actor_ids)
        if not user.has_perm("workflows.view_sensitive_incident"):
            subtasks = subtasks.exclude(incident__category__sensitive=True)
    if open_only:
        subtasks = subtasks.filter(status__in=[SubtaskStatus.OPEN, SubtaskStatus.ACKNOWLEDGED])
    return subtasks.order_by("status", "due_at", "id")


def user_manages_actor(*, user, actor_id: int | None) -> bool:
    """Whether the user is a manager (jefatura) of this actor."""
    if actor_id is None or not user.is_authenticated:
        return False
    return user.actor_memberships.filter(actor_id=actor_id, is_manager=True).exists()


def subtask_list_for_incident(*, incident_id: int) -> list[IncidentSubtask]:
    """Every live sub-task of an incident (for staff who may see the incident), oldest first."""
    return list(
        IncidentSubtask.objects.filter(incident_id=incident_id)
        .exclude(status=SubtaskStatus.CANCELLED)
        .select_related("actor", "done_by", "acknowledged_by")
        .order_by("created_at", "id")
    )


def coordination_room_url(*, incident_id: int) -> str | None:
    """The live coordination room of the incident (chat app), or None while chat does not provide it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("chat:incident_room", kwargs={"incident_id": incident_id})
    except NoReverseMatch:
        return None


def tasks_visible_to_user(*, user, tasks: QuerySet, incidents: QuerySet | None = None) -> QuerySet:
    """viewflow tasks a staff member may list: never another actor's part of a shared incident.

    A per-actor task (`data.subtask_id`: an emergency dispatch, a protection referral) shows only to staff of
    that sub-task's current actor; the incident's other tasks only to staff of its responsible actor.
    Auditors and superusers see every task of the incidents they may see. `incidents` narrows those cases
    (a subset of `incident_list_for_user`, e.g. the ones they work as staff) in the same subquery.
    """
    if incidents is None:
        incidents = incident_list_for_user(user=user)
    visible = tasks.filter(process__artifact_object_id__in=incidents.values("pk"))
    if user.is_superuser or user.has_perm("workflows.audit_incident"):
        return visible
    actor_ids = user_actor_ids(user)
    own_parts = list(IncidentSubtask.objects.filter(actor_id__in=actor_ids).values_list("pk", flat=True))
    responsible_for = Incident.objects.filter(responsible_actor_id__in=actor_ids).values("pk")
    return visible.filter(
        Q(data__subtask_id__in=own_parts)
        | (Q(data__subtask_id__isnull=True) & Q(process__artifact_object_id__in=responsible_for))
    )
