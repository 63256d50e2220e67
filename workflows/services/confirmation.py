"""After a resolution: the citizen confirms or contests it within the category's window, else it closes.

The resolution process waits on its `confirmation` node (a viewflow Handle); these services record the
answer and move the flow on: confirmed or timed out → closed; contested → back to the actor's staff,
counted against the actor (Incident.contested_count).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from workflows.deadlines import workflow_settings_for
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentProcess, IncidentStatus
from workflows.services.incidents import incident_change_status


class ConfirmationAnswer:
    CONFIRMED = "confirmed"
    CONTESTED = "contested"
    TIMED_OUT = "timed_out"


def _confirmation_task(incident: Incident) -> Task | None:
    process = IncidentProcess.objects.filter(artifact_object_id=incident.pk).order_by("-pk").first()
    if process is None:
        return None
    return Task.objects.filter(process=process, flow_task__endswith="confirmation", status="NEW").first()


def confirmation_window_open(incident: Incident, now=None) -> bool:
    if incident.status != IncidentStatus.RESOLVED or incident.resolved_at is None:
        return False
    days = workflow_settings_for(incident.category).auto_close_days
    return (now or timezone.now()) < incident.resolved_at + timedelta(days=days)


def _answer(incident: Incident, answer: str) -> None:
    task = _confirmation_task(incident)
    if task is None:
        raise ValidationError(_("Este caso ya no espera su respuesta."))
    task.flow_task.run(task, answer=answer)


@transaction.atomic
def incident_confirm(*, incident_id: int, by=None) -> Incident:
    """The citizen says the problem is solved: the case closes."""
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if not confirmation_window_open(incident):
        raise ValidationError(_("Este caso ya no espera su respuesta."))
    IncidentEvent.objects.create(incident=incident, kind=IncidentEventKind.CONFIRMED, by=by, public=True)
    _answer(incident, ConfirmationAnswer.CONFIRMED)
    return Incident.objects.get(pk=incident.pk)


@transaction.atomic
def incident_contest(*, incident_id: int, reason: str, by=None) -> Incident:
    """The citizen says the problem is still there: the case reopens for the actor's staff."""
    if not reason.strip():
        raise ValidationError({"reason": _("Cuéntenos qué sigue mal.")})
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if not confirmation_window_open(incident):
        raise ValidationError(_("El plazo para reclamar ya terminó."))
    incident.contested_count += 1
    incident.save(update_fields=["contested_count", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident, kind=IncidentEventKind.CONTESTED, by=by, note=reason.strip(), public=True
    )
    incident_change_status(incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=by)
    _answer(incident, ConfirmationAnswer.CONTESTED)
    return Incident.objects.get(pk=incident.pk)


def incident_close_unanswered(*, now=None) -> int:
    """Close resolved cases whose confirmation window ended without an answer; returns how many."""
    now = now or timezone.now()
    closed = 0
    for incident in Incident.objects.filter(status=IncidentStatus.RESOLVED).select_related("category"):
        if confirmation_window_open(incident, now):
            continue
        with transaction.atomic():
            locked = Incident.objects.select_for_update().get(pk=incident.pk)
            if locked.status != IncidentStatus.RESOLVED or _confirmation_task(locked) is None:
                continue
            IncidentEvent.objects.create(incident=locked, kind=IncidentEventKind.AUTO_CLOSED, public=True)
            _answer(locked, ConfirmationAnswer.TIMED_OUT)
            closed += 1
    return closed
