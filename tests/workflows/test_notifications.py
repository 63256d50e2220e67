"""Citizens hear of status changes by e-mail, with their tracking link; anonymous reporters never."""

import pytest
from django.core import mail

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import IncidentStatus

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails are queued on commit


def report(**kwargs):
    return services.incident_report(
        category=SubSectionFactory(), description="Hoyo", address="Prat 10", **kwargs
    )


def test_status_change_emails_the_contact_with_the_secret_tracking_link(agency_manager):
    incident = report(contact_email="rosa@example.cl", contact_name="Rosa")
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=agency_manager
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.cl"]
    assert incident.folio in message.subject and "En proceso" in message.subject
    assert f"/seguimiento/{incident.folio}/?s={incident.tracking_secret}" in message.body


def test_registered_reporter_is_written_at_their_account_email(citizen, agency_manager):
    incident = report(by=citizen)
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.RESOLVED, by=agency_manager
    )
    assert [m.to for m in mail.outbox] == [[citizen.email]]


def test_anonymous_reports_get_no_email(agency_manager):
    incident = report(is_anonymous=True, contact_email="nadie@example.cl")
    services.incident_change_status(incident_id=incident.pk, status=IncidentStatus.CLOSED, by=agency_manager)
    assert mail.outbox == []


def test_internal_changes_do_not_email(agency_manager):
    incident = report(contact_email="rosa@example.cl")
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_REVIEW, by=agency_manager, public=False
    )
    assert mail.outbox == []
