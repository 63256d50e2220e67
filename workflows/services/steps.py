"""Optional steps of the standard flow, switched per category in the CMS: inspection, authority decision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentStatus
from workflows.services.incidents import incident_change_status
from workflows.services.photos import incident_photo_add


class AuthorityDecision:
    APPROVED = "approved"
    POSTPONED = "postponed"


@transaction.atomic
def incident_inspect(*, incident_id: int, by, findings: str, evidence: list) -> Incident:
    """Record a field inspection: what was found, with evidence photos; the case is then in progress."""
    errors = {}
    if not findings.strip():
        errors["findings"] = _("Describa lo que se encontró en terreno.")
    if not evidence:
        errors["evidence"] = _("Adjunte al menos una foto de la inspección.")
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    photos = [
        incident_photo_add(incident=incident, upload=upload, by=by, is_evidence=True) for upload in evidence
    ]
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.INSPECTED,
        by=by,
        note=findings.strip(),
        public=False,
        data={"photos": [str(photo.uid) for photo in photos]},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=by)


@transaction.atomic
def incident_authority_decide(*, incident_id: int, by, decision: str, note: str) -> Incident:
    """The authority approves the budget/priority (work goes on) or postpones it (the case waits, noted)."""
    if decision not in (AuthorityDecision.APPROVED, AuthorityDecision.POSTPONED):
        raise ValidationError({"decision": _("Elija aprobar o postergar.")})
    if not note.strip():
        raise ValidationError({"note": _("Explique la decisión.")})
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.AUTHORITY_DECIDED,
        by=by,
        note=note.strip(),
        public=True,
        data={"decision": decision},
    )
    status = (
        IncidentStatus.IN_PROGRESS
        if decision == AuthorityDecision.APPROVED
        else IncidentStatus.WAITING_DECISION
    )
    return incident_change_status(incident_id=incident.pk, status=status, by=by)


@transaction.atomic
def incident_wait_for_decision(*, incident_id: int, by=None) -> Incident:
    """The case reaches the authority: the citizen sees "waiting for decision"."""
    return incident_change_status(incident_id=incident_id, status=IncidentStatus.WAITING_DECISION, by=by)
