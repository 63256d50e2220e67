"""Reads behind the staff task lists, the task map and the deadline light, scoped by who is looking."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cms_content.models import ActorMembership
from workflows.models import OPEN_STATUSES, Incident
from workflows.permissions import user_actor_ids
from workflows.selectors import incident_list_for_user, tasks_visible_to_user

# Same thresholds as the citizen's tracking page (portal.tracking_views.deadline_light).
DUE_SOON = timedelta(days=2)


class DeadlineState:
    OK = "ok"
    SOON = "soon"
    LATE = "late"
    NONE = "none"
    DONE = "done"

    CHOICES = [
        (OK, _("Dentro del plazo")),
        (SOON, _("Plazo por vencer")),
        (LATE, _("Plazo vencido")),
    ]
    LABELS = dict(CHOICES) | {NONE: _("Sin plazo"), DONE: _("Caso terminado")}


def deadline_state(*, incident: Incident, now=None) -> str:
    """The deadline light of a case: ok / soon / late, or none (no deadline) / done (finished)."""
    return deadline_state_of(status=incident.status, due_at=incident.due_at, now=now)


def deadline_state_of(*, status: str, due_at, now=None) -> str:
    """`deadline_state` from the two fields it reads (for lists that read them as plain values)."""
    if status not in OPEN_STATUSES:
        return DeadlineState.DONE
    if due_at is None:
        return DeadlineState.NONE
    remaining = due_at - (now or timezone.now())
    if remaining.total_seconds() < 0:
        return DeadlineState.LATE
    return DeadlineState.SOON if remaining < DUE_SOON else DeadlineState.OK


def incidents_in_deadline_state(*, state: str, now=None) -> QuerySet[Incident]:
    """Open incidents whose light is `state` (the same rule as `deadline_state`, as a query)."""
    now = now or timezone.now()
    open_with_due = Incident.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False)
    if state == DeadlineState.LATE:
        return open_with_due.filter(due_at__lt=now)
    if state == DeadlineState.SOON:
        return open_with_due.filter(due_at__gte=now, due_at__lt=now + DUE_SOON)
    if state == DeadlineState.OK:
        return open_with_due.filter(due_at__gte=now + DUE_SOON)
    return Incident.objects.none()


def staff_incidents_for_user(*, user) -> QuerySet[Incident]:
    """Cases a staff member works: their actors' (sensitive ones only with permission); all for auditors.

    Unlike `incident_list_for_user`, a staff member's own reports as a citizen are not work of theirs.
    """
    visible = incident_list_for_user(user=user)
    if user.is_superuser or user.has_perm("workflows.audit_incident"):
        return visible
    own_elsewhere = Incident.objects.filter(reporter=user).exclude(
        responsible_actor_id__in=user_actor_ids(user)
    )
    return visible.exclude(pk__in=own_elsewhere.values("pk"))


def open_tasks_for_user(*, user) -> QuerySet[Task]:
    """Human tasks still to do on the user's actors' cases (queue and inboxes of the whole team)."""
    tasks = Task.objects.filter(flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED])
    # A shared incident: each actor sees only its own part (emergency dispatch, protection referral).
    return (
        tasks_visible_to_user(user=user, tasks=tasks, incidents=staff_incidents_for_user(user=user))
        .select_related("process", "owner")
        .order_by("-created")
    )


def task_map_points(*, user, limit: int = 500) -> list[dict]:
    """Pins of the user's open tasks with a place: {name, url, address, lat, lon} for the map script."""
    tasks = list(open_tasks_for_user(user=user)[:limit])
    incidents = Incident.objects.filter(
        pk__in=[task.process.artifact_object_id for task in tasks], latitude__isnull=False
    ).select_related("category")
    by_id = {incident.pk: incident for incident in incidents}
    points = []
    for task in tasks:
        incident = by_id.get(task.process.artifact_object_id)
        if incident is None:
            continue
        light = DeadlineState.LABELS[deadline_state(incident=incident)]
        points.append(
            {
                "name": f"{incident.folio} · {incident.category.name} · {task.title}",
                "url": task.flow_task.reverse("index", args=[task.process_id, task.pk]),
                "address": f"{incident.address} ({light})".strip(),
                "lat": incident.latitude,
                "lon": incident.longitude,
            }
        )
    return points


def managed_actor_ids(*, user) -> list[int]:
    """Actors the user manages (ActorMembership.is_manager)."""
    return list(ActorMembership.objects.filter(user=user, is_manager=True).values_list("actor_id", flat=True))


def assignable_staff(*, manager):
    """People a manager may hand tasks to: members of the actors they manage, who may work tasks."""
    from django.contrib.auth import get_user_model

    actor_ids = managed_actor_ids(user=manager)
    users = get_user_model().objects.filter(is_active=True, actor_memberships__actor_id__in=actor_ids)
    work = Q(groups__permissions__codename="work_incident") | Q(user_permissions__codename="work_incident")
    triage = Q(groups__permissions__codename="triage_incident") | Q(
        user_permissions__codename="triage_incident"
    )
    return users.filter(work | triage).distinct().order_by("first_name", "last_name", "username")
