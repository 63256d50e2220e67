"""A manager hands queued tasks to someone of their team (bulk assign from the task queue)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cms_content.models import ActorMembership
from workflows.models import Incident, IncidentEvent, IncidentEventKind


def tasks_assign_to(*, task_ids: list[int], assignee, by) -> int:
    """Assign every task to `assignee`, all or nothing; returns how many.

    Each task must be queued (not taken), its case routed to an actor that `by` manages and `assignee`
    belongs to, and `assignee` must be allowed to take it (the node's own `can_assign`). Anything else
    refuses the whole batch with a Spanish message and changes nothing.
    """
    if not task_ids:
        raise ValidationError(_("Elija al menos una tarea."))
    managed = set(ActorMembership.objects.filter(user=by, is_manager=True).values_list("actor_id", flat=True))
    member_of = set(ActorMembership.objects.filter(user=assignee).values_list("actor_id", flat=True))
    tasks = list(Task.objects.filter(pk__in=task_ids).select_related("process").order_by("pk"))
    if len(tasks) != len(set(task_ids)):
        raise ValidationError(_("Alguna de las tareas elegidas ya no existe."))
    with transaction.atomic():
        for task in tasks:
            _assign_one(task=task, assignee=assignee, by=by, managed=managed, member_of=member_of)
    _notify_assigned(task_ids=[task.pk for task in tasks], assignee=assignee)
    return len(tasks)


def _assign_one(*, task: Task, assignee, by, managed: set[int], member_of: set[int]) -> None:
    flow_class = task.process.flow_class
    # The flow's own lock: a bulk assign racing an agent who takes the task by hand loses cleanly.
    with flow_class.lock(task.process_id):
        task = Task.objects.select_related("process").get(pk=task.pk)
        incident = (
            Incident.objects.select_related("category").filter(pk=task.process.artifact_object_id).first()
        )
        if incident is None or incident.responsible_actor_id not in managed:
            raise ValidationError(_("Solo puede asignar tareas de los casos de su institución."))
        if incident.responsible_actor_id not in member_of:
            raise ValidationError(
                _("%(person)s no pertenece a la institución responsable del caso %(folio)s.")
                % {"person": assignee.get_full_name() or assignee.username, "folio": incident.folio}
            )
        if task.status != STATUS.NEW or task.owner_id is not None:
            raise ValidationError(
                _("La tarea del caso %(folio)s ya fue tomada por otra persona.") % {"folio": incident.folio}
            )
        if not task.flow_task.can_assign(assignee, task):
            raise ValidationError(
                _("%(person)s no tiene permiso para la tarea «%(task)s» del caso %(folio)s.")
                % {
                    "person": assignee.get_full_name() or assignee.username,
                    "task": task.title,
                    "folio": incident.folio,
                }
            )
        activation = task.flow_task.activation_class(task)
        activation.assign(assignee)
        IncidentEvent.objects.create(
            incident=incident,
            kind=IncidentEventKind.ASSIGNED,
            by=by,
            public=False,
            data={"task": task.pk, "assignee": assignee.pk},
        )


def _notify_assigned(*, task_ids: list[int], assignee) -> None:
    from workflows.services.staff_notifications import staff_notify_assigned

    staff_notify_assigned(task_ids=task_ids, assignee=assignee)
