"""Sub-tasks: several actors on one incident, each with its own deadline, on one shared acta.

The responsible actor's manager asks other actors for help (`subtask_add`); their staff acknowledge and
complete it; a manager refers it to another actor (`subtask_refer`). The emergency and protected flows
create their sub-tasks through `subtask_create` and complete them from their viewflow tasks.
Every write locks the incident first (then the sub-task) and appends an IncidentEvent.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.models import Actor, DeadlineUnit
from workflows.coordination_models import IncidentSubtask, SubtaskKind, SubtaskStatus
from workflows.deadlines import add_deadline
from workflows.models import Incident, IncidentEvent, IncidentEventKind
from workflows.selectors import user_manages_actor, user_may_work_subtask

MAX_DEADLINE = {DeadlineUnit.HOURS: 24 * 30, DeadlineUnit.BUSINESS_DAYS: 60}


def _locked_incident(incident_id: int) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("category").get(pk=incident_id)


def _locked_subtask(subtask_id: int) -> IncidentSubtask:
    # The incident first, always in this order, so two writers never deadlock.
    incident_id = IncidentSubtask.objects.filter(pk=subtask_id).values_list("incident_id", flat=True).first()
    if incident_id is None:
        raise ValidationError(_("La tarea no existe."))
    _locked_incident(incident_id)
    return (
        IncidentSubtask.objects.select_for_update(of=("self",))
        .select_related("incident__category", "actor")
        .get(pk=subtask_id)
    )


def _is_public(incident: Incident, kind: str) -> bool:
    # Citizens follow an emergency's dispatch live; coordination and protected cases stay internal.
    return kind == SubtaskKind.EMERGENCY and incident.category.is_publicly_visible


def subtask_create(
    *,
    incident: Incident,
    actor: Actor,
    instructions: str,
    deadline_amount: int,
    deadline_unit: str,
    kind: str = SubtaskKind.COORDINATION,
    acknowledge_minutes: int | None = None,
    by=None,
    event_kind: str = IncidentEventKind.SUBTASK_ADDED,
) -> IncidentSubtask:
    """Create a sub-task on a locked incident (callers lock it) and record it in the acta."""
    now = timezone.now()
    subtask = IncidentSubtask.objects.create(
        incident=incident,
        actor=actor,
        kind=kind,
        instructions=instructions.strip(),
        deadline_amount=deadline_amount,
        deadline_unit=deadline_unit,
        due_at=add_deadline(now, deadline_amount, deadline_unit),
        acknowledge_due_at=now + timedelta(minutes=acknowledge_minutes) if acknowledge_minutes else None,
        created_by=by,
    )
    IncidentEvent.objects.create(
        incident=incident,
        kind=event_kind,
        by=by,
        public=_is_public(incident, kind),
        # Coordination: what was asked; dispatches and referrals: which institution (the citizen sees it).
        note=instructions.strip() if kind == SubtaskKind.COORDINATION else actor.name,
        data={"subtask": subtask.pk, "actor": actor.slug, "actor_name": actor.name, "kind": kind},
    )
    return subtask


@transaction.atomic
def subtask_add(
    *,
    incident_id: int,
    actor: Actor,
    instructions: str,
    deadline_amount: int,
    deadline_unit: str,
    by,
) -> IncidentSubtask:
    """A manager of the responsible actor asks another actor to do part of the work, by a deadline."""
    errors = {}
    if not instructions or not instructions.strip():
        errors["instructions"] = _("Escriba qué debe hacer la otra institución.")
    if deadline_unit not in DeadlineUnit.values:
        errors["deadline_unit"] = _("Elija horas o días hábiles.")
    elif not 1 <= int(deadline_amount or 0) <= MAX_DEADLINE[deadline_unit]:
        errors["deadline_amount"] = _("Indique un plazo entre 1 y %(max)s.") % {
            "max": MAX_DEADLINE[deadline_unit]
        }
    if errors:
        raise ValidationError(errors)
    incident = _locked_incident(incident_id)
    if not user_manages_actor(user=by, actor_id=incident.responsible_actor_id):
        raise PermissionDenied(_("Solo la jefatura del actor responsable pide tareas a otras instituciones."))
    if not actor.active:
        raise ValidationError({"actor": _("Elija una institución activa.")})
    return subtask_create(
        incident=incident,
        actor=actor,
        instructions=instructions,
        deadline_amount=int(deadline_amount),
        deadline_unit=deadline_unit,
        by=by,
    )


def _check_worker(subtask: IncidentSubtask, by) -> None:
    if not user_may_work_subtask(user=by, subtask=subtask):
        raise PermissionDenied(_("Esta tarea es de otra institución."))
    if not subtask.is_open:
        raise ValidationError(_("Esta tarea ya fue terminada o anulada."))


@transaction.atomic
def subtask_acknowledge(*, subtask_id: int, by) -> IncidentSubtask:
    """Staff of the sub-task's actor confirm they received it and are on their way."""
    subtask = _locked_subtask(subtask_id)
    _check_worker(subtask, by)
    if subtask.status == SubtaskStatus.ACKNOWLEDGED:
        raise ValidationError(_("Esta tarea ya fue confirmada."))
    subtask.status = SubtaskStatus.ACKNOWLEDGED
    subtask.acknowledged_by = by
    subtask.acknowledged_at = timezone.now()
    subtask.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    late = subtask.acknowledge_due_at is not None and subtask.acknowledged_at > subtask.acknowledge_due_at
    IncidentEvent.objects.create(
        incident=subtask.incident,
        kind=IncidentEventKind.SUBTASK_ACKNOWLEDGED,
        by=by,
        note=subtask.actor.name,
        public=_is_public(subtask.incident, subtask.kind),
        data={
            "subtask": subtask.pk,
            "actor": subtask.actor.slug,
            "actor_name": subtask.actor.name,
            "late": late,
        },
    )
    return subtask


@transaction.atomic
def subtask_complete(*, subtask_id: int, by, note: str) -> IncidentSubtask:
    """Staff of the sub-task's actor record what they did; the sub-task is done."""
    if not note or not note.strip():
        raise ValidationError({"note": _("Describa lo que hizo su institución.")})
    subtask = _locked_subtask(subtask_id)
    _check_worker(subtask, by)
    subtask.status = SubtaskStatus.DONE
    subtask.done_by = by
    subtask.done_at = timezone.now()
    subtask.done_note = note.strip()
    subtask.save(update_fields=["status", "done_by", "done_at", "done_note"])
    IncidentEvent.objects.create(
        incident=subtask.incident,
        kind=IncidentEventKind.SUBTASK_DONE,
        by=by,
        note=subtask.actor.name,
        public=_is_public(subtask.incident, subtask.kind),
        # The note is for staff: the public line only says which institution finished.
        data={
            "subtask": subtask.pk,
            "actor": subtask.actor.slug,
            "actor_name": subtask.actor.name,
            "note": subtask.done_note,
        },
    )
    if subtask.kind != SubtaskKind.EMERGENCY:
        # An emergency whose dispatched actors had all finished waited only for this kind of task.
        from workflows.services.flow_kinds import emergency_close_when_free  # it imports this module

        emergency_close_when_free(incident_id=subtask.incident_id)
    return subtask


@transaction.atomic
def subtask_refer(*, subtask_id: int, actor: Actor, by, note: str) -> IncidentSubtask:
    """Hand a sub-task over to another actor: its staff see it, the previous actor's no longer do.

    A manager of the sub-task's current actor or of the incident's responsible actor may do it.
    """
    if not note or not note.strip():
        raise ValidationError({"note": _("Explique por qué la tarea corresponde a otra institución.")})
    subtask = _locked_subtask(subtask_id)
    if not (
        user_manages_actor(user=by, actor_id=subtask.actor_id)
        or user_manages_actor(user=by, actor_id=subtask.incident.responsible_actor_id)
    ):
        raise PermissionDenied(_("Solo la jefatura puede derivar esta tarea."))
    if not subtask.is_open:
        raise ValidationError(_("Esta tarea ya fue terminada o anulada."))
    if actor.pk == subtask.actor_id:
        raise ValidationError({"actor": _("Elija otra institución: esta ya tiene la tarea.")})
    if not actor.active:
        raise ValidationError({"actor": _("Elija una institución activa.")})
    previous = subtask.actor
    subtask.actor = actor
    # The new actor starts afresh: it has to acknowledge the task itself.
    subtask.status = SubtaskStatus.OPEN
    subtask.acknowledged_by = None
    subtask.acknowledged_at = None
    subtask.save(update_fields=["actor", "status", "acknowledged_by", "acknowledged_at"])
    _release_flow_tasks(subtask)
    IncidentEvent.objects.create(
        incident=subtask.incident,
        kind=IncidentEventKind.SUBTASK_REFERRED,
        by=by,
        note=note.strip(),
        public=False,
        data={"subtask": subtask.pk, "from": previous.slug, "to": actor.slug, "actor_name": actor.name},
    )
    return subtask


def _release_flow_tasks(subtask: IncidentSubtask) -> None:
    """Unassign a referred sub-task's viewflow tasks taken by the previous actor's staff."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    Task.objects.filter(
        process__artifact_object_id=subtask.incident_id,
        data__subtask_id=subtask.pk,
        status=STATUS.ASSIGNED,
    ).update(owner=None, status=STATUS.NEW)
