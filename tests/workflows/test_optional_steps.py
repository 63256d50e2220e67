"""Editors switch optional steps per category in the CMS; the flow follows without a deploy."""

import pytest

from tests.factories.cms_content import CategoryWorkflowSettingsFactory, SubSectionFactory
from tests.workflows.test_triage_flow import assign_and_post, jpeg, open_task
from workflows import services
from workflows.models import IncidentEventKind, IncidentProcess, IncidentStatus

pytestmark = pytest.mark.django_db


def report_with(actor, **switches):
    category = SubSectionFactory(responsible_actor=actor)
    CategoryWorkflowSettingsFactory(category=category, **switches)
    return services.incident_report(category=category, description="Vereda rota", address="Prat 9")


def accept(client, incident, manager):
    client.force_login(manager)
    assert (
        assign_and_post(
            client, open_task(incident, "triage"), {"decision": "accept", "priority": "normal"}
        ).status_code
        == 302
    )


def test_with_inspection_and_authority_on_the_case_passes_both(
    client, actor, agency_manager, agency_staff, authority
):
    incident = report_with(actor, inspection_on=True, authority_decision_on=True)
    accept(client, incident, agency_manager)

    client.force_login(agency_staff)
    response = assign_and_post(
        client,
        open_task(incident, "inspection"),
        {"findings": "Baldosas sueltas, 3 m²", "evidence": [jpeg()]},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.WAITING_DECISION  # now at the authority
    assert incident.events.filter(kind=IncidentEventKind.INSPECTED, public=False).exists()

    client.force_login(authority)
    response = assign_and_post(
        client,
        open_task(incident, "authority_decision"),
        {"decision": "approved", "note": "Se financia con el fondo de veredas 2026."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.IN_PROGRESS
    assert open_task(incident, "resolve_case")


def test_with_steps_off_the_case_goes_straight_to_resolution(client, actor, agency_manager):
    incident = report_with(actor, inspection_on=False, authority_decision_on=False)
    accept(client, incident, agency_manager)
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    names = [task.flow_task.name for task in process.task_set.exclude(status="DONE")]
    assert names == ["resolve_case"]


def test_inspection_without_evidence_is_refused(client, actor, agency_manager, agency_staff):
    incident = report_with(actor, inspection_on=True)
    accept(client, incident, agency_manager)
    client.force_login(agency_staff)
    inspection = open_task(incident, "inspection")
    response = assign_and_post(client, inspection, {"findings": "Nada"})
    assert response.status_code == 200
    assert open_task(incident, "inspection").pk == inspection.pk


@pytest.mark.parametrize("role", ["agency_staff", "agency_manager", "citizen"])
def test_only_the_authority_takes_the_decision(client, actor, agency_manager, role, request):
    incident = report_with(actor, authority_decision_on=True)
    accept(client, incident, agency_manager)
    user = request.getfixturevalue(role)
    decision = open_task(incident, "authority_decision")
    assert not decision.flow_task.can_assign(user, decision)
