"""Triage of a new report by the responsible actor's manager: accept, re-categorise, merge, reject, hand over.

Every decision locks the incident, appends an event to its acta and leaves the case somewhere: a hand-over
names the competent actor and moves the case there (never a dead end).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.models import Actor, IncidentCategory
from cms_content.selectors import category_responsible_actor
from workflows.models import (
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    IncidentSupporter,
    RejectionReason,
)
from workflows.services.incidents import incident_change_status


def _locked(incident_id: int) -> Incident:
    return Incident.objects.select_for_update().select_related("category").get(pk=incident_id)


@transaction.atomic
def incident_accept(*, incident_id: int, by, priority: str, note: str = "") -> Incident:
    """The report is valid: set its priority and tell the citizen it is assigned to the actor."""
    incident = _locked(incident_id)
    incident.priority = priority
    incident.full_clean()
    incident.save(update_fields=["priority", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.ACCEPTED,
        by=by,
        note=note,
        public=False,
        data={"priority": priority},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.ASSIGNED, by=by)


@transaction.atomic
def incident_recategorise(*, incident_id: int, category: IncidentCategory, by, note: str = "") -> Incident:
    """Move the case to the right sub-section; it is re-routed to that sub-section's actor."""
    if category.is_section or not category.active:
        raise ValidationError({"category": _("Elija una sub-categoría activa.")})
    incident = _locked(incident_id)
    previous = incident.category
    responsible = category_responsible_actor(category=category, neighbourhood=incident.neighbourhood)
    incident.category = category
    incident.responsible_actor = responsible
    incident.save(update_fields=["category", "responsible_actor", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.RECATEGORISED,
        by=by,
        note=note,
        public=True,
        data={"from": previous.slug, "to": category.slug, "actor": responsible.slug if responsible else None},
    )
    return incident


@transaction.atomic
def incident_hand_over(*, incident_id: int, actor: Actor, by, note: str) -> Incident:
    """ "Not our competence": the case goes to the competent actor, who must triage it."""
    if not note.strip():
        raise ValidationError({"note": _("Explique por qué corresponde a otra institución.")})
    incident = _locked(incident_id)
    if actor.pk == incident.responsible_actor_id:
        raise ValidationError({"actor": _("Elija otra institución: esta ya es la responsable.")})
    previous = incident.responsible_actor
    incident.responsible_actor = actor
    incident.save(update_fields=["responsible_actor", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.HANDED_OVER,
        by=by,
        note=note,
        public=True,
        data={"from": previous.slug if previous else None, "to": actor.slug},
    )
    return incident


@transaction.atomic
def incident_merge_duplicate(*, incident_id: int, original_folio: str, by, note: str = "") -> Incident:
    """Close a duplicate into its original: both linked, its supporters (and reporter) counted there."""
    incident = _locked(incident_id)
    original = Incident.objects.select_for_update().filter(folio=original_folio.strip().upper()).first()
    if original is None or original.pk == incident.pk:
        raise ValidationError({"original_folio": _("Indique el folio de otro reporte existente.")})
    if original.duplicate_of_id:
        original = Incident.objects.select_for_update().get(pk=original.duplicate_of_id)
    moved = 0
    for supporter in IncidentSupporter.objects.filter(incident=incident):
        duplicate_exists = IncidentSupporter.objects.filter(
            incident=original, user=supporter.user, session_key=supporter.session_key
        ).exists()
        if duplicate_exists:
            supporter.delete()
        else:
            supporter.incident = original
            supporter.save(update_fields=["incident"])
            moved += 1
    # The duplicate's reporter is affected too: count them on the original.
    Incident.objects.filter(pk=original.pk).update(supporters_count=F("supporters_count") + moved + 1)
    incident.duplicate_of = original
    incident.rejection_reason = RejectionReason.DUPLICATE
    incident.supporters_count = 0
    incident.save(update_fields=["duplicate_of", "rejection_reason", "supporters_count", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.MERGED,
        by=by,
        note=note,
        public=True,
        data={"original": original.folio},
    )
    IncidentEvent.objects.create(
        incident=original,
        kind=IncidentEventKind.MERGED,
        by=by,
        public=False,
        data={"duplicate": incident.folio},
    )
    return incident_change_status(
        incident_id=incident.pk,
        status=IncidentStatus.REJECTED,
        by=by,
        note=_("Duplicado de %(folio)s") % {"folio": original.folio},
    )


@transaction.atomic
def incident_reject(*, incident_id: int, reason: str, by, note: str) -> Incident:
    """Reject a false or malicious report (duplicates and hand-overs have their own services)."""
    if reason != RejectionReason.FALSE_REPORT:
        raise ValidationError({"reason": _("Use unir como duplicado o derivar para esos casos.")})
    if not note.strip():
        raise ValidationError({"note": _("Explique el motivo del rechazo.")})
    incident = _locked(incident_id)
    incident.rejection_reason = reason
    incident.closed_at = timezone.now()
    incident.save(update_fields=["rejection_reason", "closed_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.REJECTED,
        by=by,
        note=note,
        public=False,
        data={"reason": reason},
    )
    return incident_change_status(incident_id=incident.pk, status=IncidentStatus.REJECTED, by=by)
