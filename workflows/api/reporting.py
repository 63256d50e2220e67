"""Reporting from the API: the reporting service with the web channel (the abuse-list hold lives in
`workflows.services.incident_report`, so every channel honours it)."""

from django.db import transaction

from cms_content.models import IncidentCategory
from workflows.models import Incident, ReportChannel
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
    """A citizen's report through the API (web channel)."""
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
    return incident
