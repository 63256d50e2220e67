"""Writes on incidents. Every change locks the row, records an IncidentEvent, and notifies on commit."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import groups
from cms_content.geo import in_comuna
from cms_content.models import IncidentCategory
from cms_content.selectors import category_responsible_actor, neighbourhood_for_point
from workflows.deadlines import resolution_due_at
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentStatus, ReportChannel
from workflows.selectors import contact_is_blocked
from workflows.tasks import send_status_email

FOLIO_PREFIX = "CN"


def _folio(incident: Incident) -> str:
    year = timezone.localtime(incident.created_at).year
    return f"{FOLIO_PREFIX}-{year}-{incident.pk:06d}"


@transaction.atomic
def incident_report(
    *,
    category: IncidentCategory,
    description: str,
    by=None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    channel: str = ReportChannel.WEB,
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_rut: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    start_flow: bool = True,
) -> Incident:
    """Record a new report, give it a folio, place it in its neighbourhood and route it to its actor.

    `by` is the citizen (web) or the front-desk officer (who reports for someone else: the reporter is then
    identified by the contact fields only).
    """
    if not category.live or not category.active or category.is_section:
        raise ValidationError({"category": _("Elija una sub-categoría activa.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Indique latitud y longitud, o ninguna.")})
    if latitude is not None and not in_comuna(latitude, longitude):
        raise ValidationError({"latitude": _("El punto está fuera de la comuna de Coyhaique.")})
    if latitude is None and not address.strip():
        raise ValidationError({"address": _("Marque el lugar en el mapa o describa dónde ocurre.")})

    neighbourhood = neighbourhood_for_point(lat=latitude, lon=longitude) if latitude is not None else None
    responsible_actor = category_responsible_actor(category=category, neighbourhood=neighbourhood)
    reporter = by if (channel == ReportChannel.WEB and by is not None and by.is_authenticated) else None
    incident = Incident(
        # A unique placeholder until the primary key exists; replaced in this same transaction.
        folio=f"tmp-{uuid.uuid4().hex[:16]}",
        category=category,
        description=description.strip(),
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        neighbourhood=neighbourhood,
        responsible_actor=responsible_actor,
        reporter=None if is_anonymous else reporter,
        is_anonymous=is_anonymous,
        contact_name="" if is_anonymous else contact_name.strip(),
        contact_rut="" if is_anonymous else contact_rut.strip(),
        contact_phone="" if is_anonymous else contact_phone.strip(),
        contact_email="" if is_anonymous else contact_email.strip(),
        channel=channel,
        priority=category.default_priority,
        status=IncidentStatus.RECEIVED,
        # The abuse list: checked on what was sent (an anonymous report drops its contact fields), and
        # quietly: the sender gets the usual answer, staff review the report before anyone sees it.
        held_for_review=contact_is_blocked(email=contact_email, phone=contact_phone),
    )
    # The related rows were just read (or are None): skip their existence queries, check the rest.
    incident.full_clean(exclude=["folio", "category", "neighbourhood", "responsible_actor", "reporter"])
    incident.save()
    incident.folio = _folio(incident)
    incident.due_at = resolution_due_at(category, incident.created_at)
    incident.save(update_fields=["folio", "due_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.REPORTED,
        by=by if (by and by.is_authenticated) else None,
        data={"channel": channel},
    )
    if incident.held_for_review:
        IncidentEvent.objects.create(
            incident=incident,
            kind=IncidentEventKind.NOTE,
            public=False,
            note=_("Retenido para revisión: el contacto está en la lista de bloqueo."),
            data={"held_for_review": True, "reason": "blocked_contact"},
        )
    if start_flow:
        from workflows.flows import flow_for_category  # the flows call back into this module

        # The category's workflow settings choose the flow: standard, emergency or protected case.
        flow_for_category(category).start.run(incident=incident)
    return incident


@transaction.atomic
def incident_change_status(
    *, incident_id: int, status: str, by=None, note: str = "", public: bool = True
) -> Incident:
    """Move an incident to `status`, record it in the acta, and tell whoever follows it (after commit)."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if status not in IncidentStatus.values:
        raise ValidationError({"status": _("Estado desconocido.")})
    previous = incident.status
    incident.status = status
    if status in (IncidentStatus.CLOSED, IncidentStatus.REJECTED):
        incident.closed_at = timezone.now()
    incident.save(update_fields=["status", "closed_at", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.STATUS_CHANGED,
        by=by,
        note=note,
        public=public,
        data={"from": previous, "to": status},
    )
    event = groups.incident_status_event(
        folio=incident.folio, status=status, status_label=str(IncidentStatus(status).label)
    )
    groups.send_on_commit(groups.incident_group(incident.pk), event)
    if incident.reporter_id:
        groups.send_on_commit(groups.user_group(incident.reporter_id), event)
    if public:
        transaction.on_commit(lambda: send_status_email.enqueue(incident.pk))
    return incident


@transaction.atomic
def incident_set_priority(*, incident_id: int, priority: str, by, note: str = "") -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    previous = incident.priority
    incident.priority = priority
    incident.full_clean()
    incident.save(update_fields=["priority", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.PRIORITY_CHANGED,
        by=by,
        note=note,
        public=False,
        data={"from": previous, "to": priority},
    )
    return incident
