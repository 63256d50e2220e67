"""After the solution the citizen confirms or contests within the window; silence closes the case."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.cms_content import CategoryWorkflowSettingsFactory, SubSectionFactory
from tests.workflows.test_triage_flow import assign_and_post, jpeg, open_task
from workflows import services
from workflows.models import Incident, IncidentEventKind, IncidentProcess, IncidentStatus

pytestmark = pytest.mark.django_db


def resolved_incident(client, actor, manager, staff, *, confirmation_on=True, days=7):
    category = SubSectionFactory(responsible_actor=actor)
    CategoryWorkflowSettingsFactory(
        category=category, citizen_confirmation_on=confirmation_on, auto_close_days=days
    )
    incident = services.incident_report(category=category, description="Basural", address="Prat 3")
    client.force_login(manager)
    assign_and_post(client, open_task(incident, "triage"), {"decision": "accept", "priority": "normal"})
    client.force_login(staff)
    response = assign_and_post(
        client,
        open_task(incident, "resolve_case"),
        {"code": "cleaned", "public_note": "Retiramos la basura.", "evidence": [jpeg()]},
    )
    assert response.status_code == 302
    client.logout()
    incident.refresh_from_db()
    return incident


def answer(client, incident, **data):
    return client.post(
        reverse("portal:incident_answer", args=[incident.folio]), {"s": incident.tracking_secret, **data}
    )


def process_of(incident):
    return IncidentProcess.objects.get(artifact_object_id=incident.pk)


def test_resolved_case_waits_for_the_citizen_and_confirming_closes_it(
    client, actor, agency_manager, agency_staff
):
    incident = resolved_incident(client, actor, agency_manager, agency_staff)
    assert incident.status == IncidentStatus.RESOLVED
    page = client.get(
        reverse("portal:incident_detail", args=[incident.folio]) + f"?s={incident.tracking_secret}"
    )
    assert "¿Quedó resuelto?" in page.content.decode()
    answer(client, incident, answer="confirm")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert process_of(incident).status == "DONE"


def test_contesting_reopens_the_case_for_staff_and_counts_it(client, actor, agency_manager, agency_staff):
    incident = resolved_incident(client, actor, agency_manager, agency_staff)
    answer(client, incident, answer="contest", reason="La basura volvió al día siguiente.")
    incident.refresh_from_db()
    assert (incident.status, incident.contested_count) == (IncidentStatus.IN_PROGRESS, 1)
    assert incident.events.filter(kind=IncidentEventKind.CONTESTED, public=True).exists()
    assert open_task(incident, "resolve_case")


def test_contest_needs_a_reason(client, actor, agency_manager, agency_staff):
    incident = resolved_incident(client, actor, agency_manager, agency_staff)
    answer(client, incident, answer="contest", reason="  ")
    incident.refresh_from_db()
    assert (incident.status, incident.contested_count) == (IncidentStatus.RESOLVED, 0)


def test_strangers_cannot_answer_for_the_reporter(client, actor, agency_manager, agency_staff, citizen):
    incident = resolved_incident(client, actor, agency_manager, agency_staff)
    client.force_login(citizen)
    response = client.post(reverse("portal:incident_answer", args=[incident.folio]), {"answer": "confirm"})
    assert response.status_code == 404
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED


def test_silence_closes_the_case_after_the_window_and_not_before(client, actor, agency_manager, agency_staff):
    incident = resolved_incident(client, actor, agency_manager, agency_staff, days=7)
    assert services.incident_close_unanswered(now=timezone.now() + timedelta(days=6)) == 0
    assert services.incident_close_unanswered(now=timezone.now() + timedelta(days=8)) == 1
    assert services.incident_close_unanswered(now=timezone.now() + timedelta(days=9)) == 0
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.events.filter(kind=IncidentEventKind.AUTO_CLOSED).count() == 1


def test_answers_after_the_window_are_refused(client, actor, agency_manager, agency_staff):
    incident = resolved_incident(client, actor, agency_manager, agency_staff, days=7)
    Incident.objects.filter(pk=incident.pk).update(resolved_at=timezone.now() - timedelta(days=8))
    answer(client, incident, answer="contest", reason="Sigue igual")
    incident.refresh_from_db()
    assert (incident.status, incident.contested_count) == (IncidentStatus.RESOLVED, 0)


def test_without_confirmation_the_case_closes_right_after_the_solution(
    client, actor, agency_manager, agency_staff
):
    incident = resolved_incident(client, actor, agency_manager, agency_staff, confirmation_on=False)
    assert incident.status == IncidentStatus.CLOSED
    assert process_of(incident).status == "DONE"
