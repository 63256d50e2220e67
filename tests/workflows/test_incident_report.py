"""Reporting an incident: folio, neighbourhood, routing, history, and the resolution process."""

import re

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows import services
from workflows.models import Incident, IncidentEventKind, IncidentProcess, IncidentStatus, ReportChannel

pytestmark = pytest.mark.django_db
PLAZA = {"latitude": -45.5712, "longitude": -72.0685}


def test_report_gets_a_folio_its_neighbourhood_and_its_actor(citizen):
    barrio = NeighbourhoodFactory()
    category = SubSectionFactory()
    incident = services.incident_report(
        category=category, description="Basura en la vereda", by=citizen, **PLAZA
    )
    assert re.fullmatch(r"CN-\d{4}-\d{6}", incident.folio)
    assert incident.folio.endswith(f"{incident.pk:06d}")
    assert incident.neighbourhood == barrio
    assert incident.responsible_actor == category.responsible_actor
    assert incident.reporter == citizen
    assert incident.events.get().kind == IncidentEventKind.REPORTED


def test_report_starts_a_resolution_process_waiting_for_triage(citizen):
    incident = services.incident_report(category=SubSectionFactory(), description="Hoyo", by=citizen, **PLAZA)
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    task = Task.objects.get(process=process, flow_task__endswith="triage")
    assert task.status == "NEW"


def test_anonymous_report_keeps_no_identity(citizen):
    incident = services.incident_report(
        category=SubSectionFactory(),
        description="Grafiti",
        by=citizen,
        is_anonymous=True,
        contact_name="Ana",
        contact_phone="+56911112222",
        **PLAZA,
    )
    assert incident.reporter is None
    assert (incident.contact_name, incident.contact_phone) == ("", "")


def test_front_desk_report_is_not_attributed_to_the_officer(front_desk):
    incident = services.incident_report(
        category=SubSectionFactory(),
        description="Luminaria apagada",
        by=front_desk,
        channel=ReportChannel.PHONE,
        contact_name="Juan Soto",
        contact_phone="+56933334444",
        address="Baquedano 120",
    )
    assert incident.reporter is None
    assert incident.contact_name == "Juan Soto"
    assert incident.events.get().by == front_desk


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ({"latitude": -33.44, "longitude": -70.65}, "latitude"),  # Santiago
        ({"latitude": -45.57, "longitude": None}, "latitude"),
        ({}, "address"),  # neither map point nor described place
    ],
)
def test_bad_location_is_refused_and_nothing_is_stored(citizen, location, field):
    with pytest.raises(ValidationError) as error:
        services.incident_report(category=SubSectionFactory(), description="x", by=citizen, **location)
    assert field in error.value.message_dict
    assert Incident.objects.count() == 0


def test_a_section_or_inactive_category_cannot_be_reported(citizen):
    inactive = SubSectionFactory(active=False)
    for category in (inactive, inactive.parent):
        with pytest.raises(ValidationError):
            services.incident_report(category=category, description="x", by=citizen, **PLAZA)
    assert Incident.objects.count() == 0


def test_status_change_is_recorded_in_the_acta(citizen, agency_manager):
    incident = services.incident_report(category=SubSectionFactory(), description="Hoyo", by=citizen, **PLAZA)
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_REVIEW, by=agency_manager
    )
    event = incident.events.get(kind=IncidentEventKind.STATUS_CHANGED)
    assert event.data == {"from": "received", "to": "in_review"}
    assert event.by == agency_manager


@pytest.mark.parametrize("channel", [ReportChannel.WEB, ReportChannel.FRONT_DESK, ReportChannel.OPEN311])
def test_reports_from_a_blocked_contact_are_quietly_held_on_every_channel(channel):
    from workflows.models import BlockedContact

    BlockedContact.objects.create(value="+56987654321", reason="Reportes falsos reiterados")
    incident = services.incident_report(
        category=SubSectionFactory(),
        description="x",
        address="Prat 1",
        channel=channel,
        contact_phone="+56 9 8765 4321",
    )
    assert incident.held_for_review
    assert incident.events.filter(public=False, data__reason="blocked_contact").exists()


def test_other_contacts_are_not_held():
    from workflows.models import BlockedContact

    BlockedContact.objects.create(value="malo@example.cl", reason="Abuso")
    incident = services.incident_report(
        category=SubSectionFactory(), description="x", address="Prat 1", contact_email="bueno@example.cl"
    )
    assert not incident.held_for_review


def test_public_lookup_hides_held_and_sensitive_reports_unless_the_secret_is_given():
    from workflows.models import BlockedContact
    from workflows.selectors import incident_public_get

    BlockedContact.objects.create(value="malo@example.cl", reason="Abuso")
    held = services.incident_report(
        category=SubSectionFactory(), description="x", address="Prat 1", contact_email="malo@example.cl"
    )
    sensitive = services.incident_report(
        category=SubSectionFactory(sensitive=True, public=False), description="y", address="Prat 2"
    )
    for incident in (held, sensitive):
        assert incident_public_get(folio=incident.folio) is None
        assert incident_public_get(folio=incident.folio, secret="wrong") is None
        assert incident_public_get(folio=incident.folio, secret=incident.tracking_secret) == incident
