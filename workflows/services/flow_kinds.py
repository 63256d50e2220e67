"""Writes of the emergency and protected-case flows (workflows.flow_kinds): dispatch, joint closure, referral.

Called by the flows' Function nodes and task views; each locks the incident and appends to its acta.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.models import DeadlineUnit
from cms_content.selectors import category_route
from workflows.coordination_models import OPEN_SUBTASK_STATUSES, IncidentSubtask, SubtaskKind, SubtaskStatus
from workflows.deadlines import add_deadline, workflow_settings_for
from workflows.models import (
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    ResolutionCode,
)
from workflows.services.coordination import subtask_create
from workflows.services.incidents import incident_change_status


def _locked(incident_id: int) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("category", "neighbourhood")
        .get(pk=incident_id)
    )


@transaction.atomic
def emergency_dispatch(*, incident_id: int) -> list[int]:
    """Dispatch an emergency to its responsible actor and every supporting actor at once.

    Each actor gets its own sub-task: acknowledge within the category's `acknowledgement_minutes`, finish
    its part within the resolution deadline counted in hours (emergencies never wait for business days).
    Returns the sub-task ids, one per actor, responsible first.
    """
    incident = _locked(incident_id)
    settings = workflow_settings_for(incident.category)
    responsible, supporting = category_route(category=incident.category, neighbourhood=incident.neighbourhood)
    actors = [
        actor for actor in [incident.responsible_actor or responsible, *supporting] if actor is not None
    ]
    unique = list({actor.pk: actor for actor in actors}.values())
    if not unique:
        raise ValidationError(_("La categoría no tiene institución responsable: no se puede despachar."))
    now = timezone.now()
    incident.due_at = add_deadline(now, settings.resolution_deadline, DeadlineUnit.HOURS)
    incident.save(update_fields=["due_at", "updated_at"])
    ids = []
    for actor in unique:
        is_responsible = actor.pk == incident.responsible_actor_id
        subtask = subtask_create(
            incident=incident,
            actor=actor,
            kind=SubtaskKind.EMERGENCY,
            instructions=_("Acudir como institución responsable de la emergencia.")
            if is_responsible
            else _("Acudir en apoyo a la emergencia."),
            deadline_amount=settings.resolution_deadline,
            deadline_unit=DeadlineUnit.HOURS,
            acknowledge_minutes=settings.acknowledgement_minutes,
            event_kind=IncidentEventKind.DISPATCHED,
        )
        ids.append(subtask.pk)
    incident_change_status(incident_id=incident.pk, status=IncidentStatus.ASSIGNED)
    return ids


@transaction.atomic
def emergency_close_jointly(*, incident_id: int) -> Incident:
    """Every dispatched actor finished its part: the emergency is closed once, for all of them.

    A task a manager asked of another institution meanwhile (a coordination sub-task) holds the closure:
    the case stays open, with a note in the acta, and `emergency_close_when_free` closes it when that
    task is done. Closing twice is once.
    """
    incident = _locked(incident_id)
    if incident.status == IncidentStatus.CLOSED:
        return incident
    parts = list(
        IncidentSubtask.objects.filter(incident=incident, kind=SubtaskKind.EMERGENCY)
        .exclude(status=SubtaskStatus.CANCELLED)
        .select_related("actor")
    )
    if any(part.is_open for part in parts):
        raise ValidationError(_("Aún hay instituciones trabajando en la emergencia."))
    pending = [
        subtask.actor.name
        for subtask in IncidentSubtask.objects.filter(incident=incident, status__in=OPEN_SUBTASK_STATUSES)
        .exclude(kind=SubtaskKind.EMERGENCY)
        .select_related("actor")
    ]
    if pending:
        IncidentEvent.objects.create(
            incident=incident,
            kind=IncidentEventKind.NOTE,
            public=False,
            note=_("Las instituciones despachadas terminaron; el cierre espera las tareas de: %(actors)s.")
            % {"actors": ", ".join(pending)},
        )
        return incident
    incident.resolution_code = ResolutionCode.ATTENDED
    incident.resolution_note = _("Atendido en conjunto por: %(actors)s.") % {
        "actors": ", ".join(part.actor.name for part in parts)
    }
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolution_code", "resolution_note", "resolved_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.JOINT_CLOSURE,
        public=incident.category.is_publicly_visible,
        note=incident.resolution_note,
        data={"actors": [part.actor.slug for part in parts]},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.CLOSED)


def emergency_close_when_free(*, incident_id: int) -> Incident | None:
    """After a coordination sub-task is done: close an emergency whose dispatched actors had all finished
    and that waited only for such tasks (see `emergency_close_jointly`). None when there is nothing to do."""
    parts = IncidentSubtask.objects.filter(incident_id=incident_id, kind=SubtaskKind.EMERGENCY).exclude(
        status=SubtaskStatus.CANCELLED
    )
    if not parts.exists() or parts.filter(status__in=OPEN_SUBTASK_STATUSES).exists():
        return None  # not an emergency, or its own flow will close it when the last actor reports
    if IncidentSubtask.objects.filter(incident_id=incident_id, status__in=OPEN_SUBTASK_STATUSES).exists():
        return None
    return emergency_close_jointly(incident_id=incident_id)


def protection_actor_for(incident: Incident):
    """The actor a protected case must be referred to: the category's setting, else the responsible actor."""
    return workflow_settings_for(incident.category).protection_actor or incident.responsible_actor


@transaction.atomic
def protected_refer(*, incident_id: int) -> int:
    """The mandatory referral of a protected case to its protection actor (a sub-task with its deadline)."""
    incident = _locked(incident_id)
    actor = protection_actor_for(incident)
    if actor is None:
        raise ValidationError(_("La categoría no tiene institución de protección ni responsable."))
    settings = workflow_settings_for(incident.category)
    subtask = subtask_create(
        incident=incident,
        actor=actor,
        kind=SubtaskKind.PROTECTION,
        instructions=_("Contactar y proteger a la persona afectada; registrar la atención dada."),
        deadline_amount=settings.triage_deadline,
        deadline_unit=settings.triage_deadline_unit,
        event_kind=IncidentEventKind.PROTECTION_REFERRAL,
    )
    incident_change_status(incident_id=incident.pk, status=IncidentStatus.ASSIGNED, public=True)
    return subtask.pk


@transaction.atomic
def protected_resolve(*, incident_id: int, by, code: str, note: str) -> Incident:
    """The responsible actor closes its own part of a protected case: how, and an internal note.

    No evidence photos are required here (unlike the standard flow): pictures of a victim or a home must
    not be collected for the record; the internal note is the case's evidence.
    """
    errors = {}
    if code not in ResolutionCode.values:
        errors["code"] = _("Elija cómo se resolvió.")
    if not note or not note.strip():
        errors["note"] = _("Describa lo que se hizo (nota interna).")
    if errors:
        raise ValidationError(errors)
    incident = _locked(incident_id)
    incident.resolution_code = code
    incident.resolution_note = note.strip()
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolution_code", "resolution_note", "resolved_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.RESOLVED,
        by=by,
        note=incident.resolution_note,
        public=False,
        data={"code": code},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.RESOLVED, by=by)


@transaction.atomic
def protected_close(*, incident_id: int) -> Incident:
    """Both parts are done (responsible actor and protection actor): the case is closed."""
    return incident_change_status(incident_id=incident_id, status=IncidentStatus.CLOSED)
