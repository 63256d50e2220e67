"""Staff notifications: in-app (StaffNotification) and by e-mail, written by the background worker.

Callers only queue them (`staff_notify_*`), after commit: a rolled-back request tells nobody, and the
request never waits for a mail server. The worker (`workflows.staff_tasks`) calls `*_deliver`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from cms_content.models import ActorMembership
from workflows.models import DeadlineAlert, Incident, StaffNotification

Kind = StaffNotification.Kind


# queueing (called inside the writing transaction)


def staff_notify_assigned(*, task_ids: list[int], assignee) -> None:
    """Tell `assignee` that these tasks are now theirs (in-app and e-mail)."""
    from workflows.staff_tasks import deliver_assigned

    ids, user_id = list(task_ids), assignee.pk
    transaction.on_commit(lambda: deliver_assigned.enqueue(ids, user_id))


def staff_notify_new_task(*, task_id: int) -> None:
    """Tell the actor's staff who may take it that a task waits in their queue (in-app)."""
    from workflows.staff_tasks import deliver_new_task

    transaction.on_commit(lambda: deliver_new_task.enqueue(task_id))


def staff_notify_deadline(*, incident_id: int, level: str) -> None:
    """Tell the actor's managers of a deadline warning or escalation (in-app; e-mail goes separately)."""
    from workflows.staff_tasks import deliver_deadline

    transaction.on_commit(lambda: deliver_deadline.enqueue(incident_id, level))


def staff_notify_subtask_escalation(*, subtask_id: int, level: str) -> None:
    """Tell the sub-task's actor's managers it was not acknowledged or not done in time (in-app, e-mail)."""
    from workflows.staff_tasks import deliver_subtask_escalation

    transaction.on_commit(lambda: deliver_subtask_escalation.enqueue(subtask_id, level))


# delivery (run by the worker)


def _task_link(task: Task) -> str:
    try:
        path = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    except NoReverseMatch:
        path = "/tareas/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def assigned_deliver(*, task_ids: list[int], user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    created = 0
    for task in Task.objects.filter(pk__in=task_ids, owner_id=user_id).select_related("process"):
        incident = Incident.objects.filter(pk=task.process.artifact_object_id).first()
        if incident is None:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Se le asignó la tarea «%(task)s» del caso %(folio)s.") % {
                "task": task.title,
                "folio": incident.folio,
            }
            if user.email:
                send_mail(
                    _("Tarea asignada: caso %(folio)s") % {"folio": incident.folio},
                    f"{text}\n\n{_task_link(task)}",
                    None,
                    [user.email],
                )
        StaffNotification.objects.create(user=user, kind=Kind.ASSIGNED, incident=incident, text=text)
        created += 1
    return created


def new_task_deliver(*, task_id: int) -> int:
    task = Task.objects.select_related("process").filter(pk=task_id).first()
    if task is None or task.owner_id is not None or task.status != "NEW":
        return 0
    incident = Incident.objects.select_related("category").filter(pk=task.process.artifact_object_id).first()
    if incident is None or incident.responsible_actor_id is None:
        return 0
    members = get_user_model().objects.filter(
        is_active=True, actor_memberships__actor_id=incident.responsible_actor_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Nueva tarea en la cola: «%(task)s» del caso %(folio)s.") % {
            "task": task.title,
            "folio": incident.folio,
        }
    # Only who may take it (the node's own rule, so sensitive cases reach only allowed staff).
    recipients = [user for user in members.distinct() if task.flow_task.can_assign(user, task)]
    StaffNotification.objects.bulk_create(
        [
            StaffNotification(user=user, kind=Kind.NEW_TASK, incident=incident, text=text)
            for user in recipients
        ]
    )
    return len(recipients)


def deadline_deliver(*, incident_id: int, level: str) -> int:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or incident.responsible_actor_id is None:
        return 0
    managers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            actor_memberships__actor_id=incident.responsible_actor_id,
            actor_memberships__is_manager=True,
        )
        .distinct()
    )
    escalated = level == DeadlineAlert.Level.OVERDUE
    with translation.override(settings.LANGUAGE_CODE):
        if escalated:
            text = _("El caso %(folio)s venció su plazo y se escaló a la jefatura.") % {
                "folio": incident.folio
            }
        else:
            text = _("El caso %(folio)s llegó al %(level)s.") % {
                "folio": incident.folio,
                "level": DeadlineAlert.Level(level).label,
            }
    kind = Kind.ESCALATED if escalated else Kind.DEADLINE_WARNING
    StaffNotification.objects.bulk_create(
        [StaffNotification(user=user, kind=kind, incident=incident, text=text) for user in managers]
    )
    return len(managers)


def subtask_escalation_deliver(*, subtask_id: int, level: str) -> int:
    from workflows.coordination_models import IncidentSubtask

    subtask = IncidentSubtask.objects.filter(pk=subtask_id).select_related("incident", "actor").first()
    if subtask is None:
        return 0
    managers = (
        get_user_model()
        .objects.filter(
            is_active=True, actor_memberships__actor_id=subtask.actor_id, actor_memberships__is_manager=True
        )
        .distinct()
    )
    folio = subtask.incident.folio
    with translation.override(settings.LANGUAGE_CODE):
        if level == "acknowledge":
            text = _(
                "Nadie de %(actor)s confirmó a tiempo la tarea del caso %(folio)s: se escaló a la jefatura."
            )
        else:
            text = _("La tarea de %(actor)s en el caso %(folio)s venció su plazo y se escaló a la jefatura.")
        text = text % {"actor": subtask.actor.name, "folio": folio}
        emails = [user.email for user in managers if user.email]
        if emails:
            send_mail(_("Tarea escalada: caso %(folio)s") % {"folio": folio}, text, None, emails)
    StaffNotification.objects.bulk_create(
        [
            StaffNotification(user=user, kind=Kind.ESCALATED, incident=subtask.incident, text=text)
            for user in managers
        ]
    )
    return len(managers)


# reading and marking


def staff_notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications as read (all unread ones when no ids); returns how many."""
    unread = StaffNotification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def staff_member_of_any_actor(user) -> bool:
    return user.is_authenticated and ActorMembership.objects.filter(user=user).exists()
