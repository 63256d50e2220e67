"""Resolving a case: a resolution code, a public note and evidence are required."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentStatus, ResolutionCode
from workflows.services.incidents import incident_change_status
from workflows.services.photos import incident_photo_add


@transaction.atomic
def incident_resolve(*, incident_id: int, by, code: str, public_note: str, evidence: list) -> Incident:
    """Record how the case was solved, with at least one evidence photo, and tell the citizen."""
    errors = {}
    if code not in ResolutionCode.values:
        errors["code"] = _("Elija cómo se resolvió.")
    if not public_note.strip():
        errors["public_note"] = _("Escriba para la ciudadanía qué se hizo.")
    if not evidence:
        errors["evidence"] = _("Adjunte al menos una foto de evidencia de la solución.")
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    for upload in evidence:
        photo = incident_photo_add(incident=incident, upload=upload, by=by, is_evidence=True)
        IncidentEvent.objects.create(
            incident=incident,
            kind=IncidentEventKind.EVIDENCE_ADDED,
            by=by,
            public=False,
            data={"photo": str(photo.uid)},
        )
    incident.resolution_code = code
    incident.resolution_note = public_note.strip()
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolution_code", "resolution_note", "resolved_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.RESOLVED,
        by=by,
        note=incident.resolution_note,
        public=True,
        data={"code": code},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.RESOLVED, by=by)
