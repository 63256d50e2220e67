"""Reporting from the API: the reporting service plus the abuse list's quiet hold.

The hold belongs inside `workflows.services.incident_report` (every channel should honour the abuse
list); until it moves there, the API applies it in the same transaction as the report.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from cms_content.models import IncidentCategory
from workflows.api.selectors import contact_is_blocked
from workflows.models import Incident, IncidentEvent, IncidentEventKind, ReportChannel
from workflows.services import incident_report


@transaction.atomic
def incident_report_web(
    *,
    category: IncidentCategory,
    description: str,
    by=None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_rut: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Incident:
    """A citizen's web report; held for review, silently, when its contact is on the abuse list."""
    incident = incident_report(
        category=category,
        description=description,
        by=by,
        latitude=latitude,
        longitude=longitude,
        address=address,
        channel=ReportChannel.WEB,
        is_anonymous=is_anonymous,
        contact_name=contact_name,
        contact_rut=contact_rut,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    # Checked on what was sent, not on what was kept: an anonymous report drops its contact fields.
    if not incident.held_for_review and contact_is_blocked(email=contact_email, phone=contact_phone):
        Incident.objects.filter(pk=incident.pk).update(held_for_review=True)
        incident.held_for_review = True
        IncidentEvent.objects.create(
            incident=incident,
            kind=IncidentEventKind.NOTE,
            public=False,
            note=_("Retenido para revisión: el contacto está en la lista de bloqueo."),
            data={"held_for_review": True, "reason": "blocked_contact"},
        )
    return incident
