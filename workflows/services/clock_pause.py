"""Staff ask the citizen for more information: the case's deadline stops until the citizen answers.

Pausing stores what is left of the deadline (business time, or plain hours for hour deadlines) in the
acta event and clears `due_at` (so no warning fires and the deadline tick skips the case while it waits).
The citizen's answer starts the clock again with exactly the time that was left. If the flow waits on a
node for the answer (a `flow.Handle` whose name ends in `ask_citizen`), the answer moves the flow on.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from cms_content.models import DeadlineUnit
from workflows.clock import remaining_time, resumed_due_at
from workflows.deadlines import workflow_settings_for
from workflows.models import OPEN_STATUSES, Incident, IncidentEvent, IncidentEventKind, IncidentProcess

CLOCK_KEY = "clock"
PAUSED, RESUMED = "paused", "resumed"
WAITING_NODE_SUFFIX = "ask_citizen"


def _clock_events(incident: Incident):
    return IncidentEvent.objects.filter(incident=incident, data__has_key=CLOCK_KEY).order_by(
        "-created_at", "-id"
    )


def clock_pause_event(*, incident: Incident) -> IncidentEvent | None:
    """The event of the pause in course, or None when the clock runs."""
    last = _clock_events(incident).first()
    return last if last is not None and last.data.get(CLOCK_KEY) == PAUSED else None


def _is_business(incident: Incident) -> bool:
    return workflow_settings_for(incident.category).resolution_deadline_unit != DeadlineUnit.HOURS


@transaction.atomic
def incident_ask_citizen(*, incident_id: int, by, question: str, now=None) -> Incident:
    """Ask the reporter for more information (shown on their tracking page); the deadline pauses."""
    if not question.strip():
        raise ValidationError({"question": _("Escriba qué información necesita de la persona.")})
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if incident.status not in OPEN_STATUSES:
        raise ValidationError(_("El caso ya está cerrado."))
    if clock_pause_event(incident=incident) is not None:
        raise ValidationError(_("Ya se pidió información: espere la respuesta de la persona."))
    now = now or timezone.now()
    business = _is_business(incident)
    remaining = (
        remaining_time(due_at=incident.due_at, now=now, business=business) if incident.due_at else None
    )
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.NOTE,
        by=by,
        public=True,  # the question is for the citizen: it shows on the tracking page
        note=question.strip(),
        data={
            CLOCK_KEY: PAUSED,
            "asked_information": True,
            "remaining_seconds": remaining,
            "business": business,
            "due_at_before": incident.due_at.isoformat() if incident.due_at else None,
            "paused_at": now.isoformat(),
        },
    )
    incident.due_at = None
    incident.save(update_fields=["due_at", "updated_at"])
    return incident


@transaction.atomic
def incident_citizen_answer(*, incident_id: int, answer: str, by=None, now=None) -> Incident:
    """The reporter answers: the answer goes to the acta (internal) and the deadline resumes."""
    if not answer.strip():
        raise ValidationError({"answer": _("Escriba su respuesta.")})
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    pause = clock_pause_event(incident=incident)
    if pause is None:
        raise ValidationError(_("Este caso no espera información suya."))
    now = now or timezone.now()
    remaining = pause.data.get("remaining_seconds")
    if remaining is not None:
        incident.due_at = resumed_due_at(
            remaining_seconds=remaining, now=now, business=pause.data["business"]
        )
        incident.save(update_fields=["due_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.NOTE,
        by=by if by is not None and by.is_authenticated else None,
        public=False,  # may carry personal details: staff only
        note=answer.strip(),
        data={
            CLOCK_KEY: RESUMED,
            "citizen_answer": True,
            "resumed_at": now.isoformat(),
            "due_at": incident.due_at.isoformat() if incident.due_at else None,
        },
    )
    _move_waiting_flow(incident, answer.strip())
    return incident


def _move_waiting_flow(incident: Incident, answer: str) -> None:
    process = IncidentProcess.objects.filter(artifact_object_id=incident.pk).order_by("-pk").first()
    if process is None:
        return
    task = Task.objects.filter(process=process, flow_task__endswith=WAITING_NODE_SUFFIX, status="NEW").first()
    if task is not None:
        task.flow_task.run(task, answer=answer)
