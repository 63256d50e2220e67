"""The emergency flow: parallel dispatch, per-actor acknowledgement in minutes, joint closure."""

from datetime import timedelta

import pytest

from tests.workflows.flow_kinds_helpers import (
    assign_and_post,
    emergency_category,
    member,
    open_tasks,
    process_of,
    report,
    task_for_subtask,
    task_url,
)
from workflows.coordination_models import IncidentSubtask, SubtaskKind, SubtaskStatus
from workflows.flows import EmergencyFlow
from workflows.models import IncidentEventKind, IncidentStatus
from workflows.selectors import incident_involved_actor_ids, incident_list_for_user

pytestmark = pytest.mark.django_db


def test_report_starts_the_emergency_flow_and_dispatches_every_actor_in_parallel():
    category, responsible, helpers = emergency_category(supporting=2, acknowledgement_minutes=10)
    incident = report(category)
    assert process_of(incident).flow_class is EmergencyFlow
    subtasks = list(IncidentSubtask.objects.filter(incident=incident).order_by("pk"))
    assert [s.actor for s in subtasks] == [responsible, *helpers]
    assert {s.kind for s in subtasks} == {SubtaskKind.EMERGENCY}
    for subtask in subtasks:
        assert subtask.acknowledge_due_at - subtask.created_at == pytest.approx(
            timedelta(minutes=10), abs=timedelta(seconds=5)
        )
    # one acknowledgement task per actor, at the same time
    acknowledgements = open_tasks(incident, "acknowledge")
    assert sorted(t.data["subtask_id"] for t in acknowledgements) == [s.pk for s in subtasks]
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ASSIGNED
    assert incident.events.filter(kind=IncidentEventKind.DISPATCHED, public=True).count() == 3
    assert incident_involved_actor_ids(incident_id=incident.pk) == {responsible.pk, *(h.pk for h in helpers)}


def test_emergency_deadline_counts_hours_even_if_settings_say_business_days():
    category, _responsible, _helpers = emergency_category(resolution_hours=6)
    incident = report(category)
    incident.refresh_from_db()
    assert incident.due_at - incident.created_at == pytest.approx(
        timedelta(hours=6), abs=timedelta(seconds=5)
    )


def test_end_to_end_in_code_each_actor_acknowledges_and_reports_then_joint_closure(client):
    category, responsible, helpers = emergency_category(supporting=1)
    incident = report(category)
    staff = {responsible.pk: member(responsible), helpers[0].pk: member(helpers[0])}
    for subtask in IncidentSubtask.objects.filter(incident=incident):
        user = staff[subtask.actor_id]
        client.force_login(user)
        response = assign_and_post(
            client, task_for_subtask(incident, "acknowledge", subtask.pk), {"confirm": "on"}
        )
        assert response.status_code == 302
        subtask.refresh_from_db()
        assert subtask.status == SubtaskStatus.ACKNOWLEDGED and subtask.acknowledged_by == user
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ASSIGNED
    first, second = IncidentSubtask.objects.filter(incident=incident).order_by("pk")
    client.force_login(staff[first.actor_id])
    assert (
        assign_and_post(
            client, task_for_subtask(incident, "report_part", first.pk), {"note": "Fuego extinguido"}
        ).status_code
        == 302
    )
    incident.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED  # the other actor is still working
    client.force_login(staff[second.actor_id])
    assert (
        assign_and_post(
            client, task_for_subtask(incident, "report_part", second.pk), {"note": "Tránsito desviado"}
        ).status_code
        == 302
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.resolved_at is not None
    assert incident.events.filter(kind=IncidentEventKind.JOINT_CLOSURE, public=True).exists()
    assert process_of(incident).status == "DONE"


def test_staff_of_one_actor_cannot_take_another_actors_acknowledgement(client):
    category, responsible, helpers = emergency_category(supporting=1)
    incident = report(category)
    helper_staff = member(helpers[0])
    responsible_part = IncidentSubtask.objects.get(incident=incident, actor=responsible)
    task = task_for_subtask(incident, "acknowledge", responsible_part.pk)
    assert not task.flow_task.can_assign(helper_staff, task)
    client.force_login(helper_staff)
    assert client.post(task_url(task, "assign")).status_code == 403
    task.refresh_from_db()
    assert task.owner is None


@pytest.mark.parametrize("role", ["citizen", "front_desk", "authority", "auditor"])
def test_roles_outside_the_actors_get_403_on_the_acknowledgement(client, request, role):
    category, responsible, _helpers = emergency_category()
    incident = report(category)
    part = IncidentSubtask.objects.get(incident=incident, actor=responsible)
    client.force_login(request.getfixturevalue(role))
    assert (
        client.post(task_url(task_for_subtask(incident, "acknowledge", part.pk), "assign")).status_code == 403
    )


def test_supporting_actors_staff_see_the_incident_while_dispatched():
    category, _responsible, helpers = emergency_category(supporting=1)
    incident = report(category)
    assert incident_list_for_user(user=member(helpers[0])).filter(pk=incident.pk).exists()
    outsider_actor_staff = member(emergency_category()[1])
    assert not incident_list_for_user(user=outsider_actor_staff).filter(pk=incident.pk).exists()


def test_tracking_page_shows_dispatch_and_joint_closure(client):
    category, responsible, _helpers = emergency_category(supporting=0)
    incident = report(category)
    part = IncidentSubtask.objects.get(incident=incident)
    client.force_login(member(responsible))
    assign_and_post(client, task_for_subtask(incident, "acknowledge", part.pk), {"confirm": "on"})
    assign_and_post(client, task_for_subtask(incident, "report_part", part.pk), {"note": "Listo"})
    client.logout()
    events = [e.kind for e in incident.events.filter(public=True)]
    assert IncidentEventKind.JOINT_CLOSURE in events
    assert "Listo" not in str([e.note for e in incident.events.filter(public=True)])


@pytest.mark.parametrize("flow_class", ["EmergencyFlow", "ProtectedFlow"])
def test_every_node_is_annotated_and_the_flow_locks_rows(flow_class):
    from viewflow.workflow import lock

    from workflows import flows

    flow = getattr(flows, flow_class)
    assert isinstance(flow.lock_impl, lock.SelectForUpdateLock)
    assert flow.lock_impl.nowait is False
    untitled = [node.name for node in flow.instance.nodes() if not node.task_title]
    assert untitled == []


def test_the_flow_chart_renders_for_staff(client, agency_manager):
    client.force_login(agency_manager)
    assert client.get("/tareas/emergency/chart/").status_code == 200
    assert client.get("/tareas/protected/chart/").status_code == 200


def test_a_category_without_an_actor_falls_back_to_the_standard_flow():
    from workflows.flows import StandardFlow

    category, _responsible, _helpers = emergency_category()
    category.responsible_actor = None
    category.save()
    incident = report(category)
    assert process_of(incident).flow_class is StandardFlow


def test_a_task_a_manager_asked_of_another_institution_holds_the_joint_closure(client):
    from tests.factories.cms_content import ActorFactory
    from workflows.services.coordination import subtask_add, subtask_complete

    category, responsible, _helpers = emergency_category(supporting=0)
    incident = report(category)
    manager, utility = member(responsible, "agency_manager"), ActorFactory(name="Eléctrica de prueba")
    coordination = subtask_add(
        incident_id=incident.pk,
        actor=utility,
        instructions="Cortar la luz del sector",
        deadline_amount=2,
        deadline_unit="hours",
        by=manager,
    )
    [part] = IncidentSubtask.objects.filter(incident=incident, kind=SubtaskKind.EMERGENCY)
    client.force_login(member(responsible))
    assign_and_post(client, task_for_subtask(incident, "acknowledge", part.pk), {"confirm": "on"})
    response = assign_and_post(
        client, task_for_subtask(incident, "report_part", part.pk), {"note": "Apagado"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED  # the utility company is still working
    waiting = incident.events.get(kind=IncidentEventKind.NOTE)
    assert "Eléctrica de prueba" in waiting.note and not waiting.public

    subtask_complete(subtask_id=coordination.pk, by=member(utility), note="Luz cortada y repuesta")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.events.filter(kind=IncidentEventKind.JOINT_CLOSURE).count() == 1
    subtask_complete_again = IncidentSubtask.objects.get(pk=coordination.pk)
    assert subtask_complete_again.status == SubtaskStatus.DONE


def test_a_coordination_task_done_before_the_actors_report_does_not_close_the_emergency():
    from tests.factories.cms_content import ActorFactory
    from workflows.services.coordination import subtask_add, subtask_complete

    category, responsible, _helpers = emergency_category(supporting=0)
    incident = report(category)
    manager, utility = member(responsible, "agency_manager"), ActorFactory(name="Sanitaria de prueba")
    coordination = subtask_add(
        incident_id=incident.pk, actor=utility, instructions="Cortar el agua", deadline_amount=1,
        deadline_unit="hours", by=manager,
    )  # fmt: skip
    subtask_complete(subtask_id=coordination.pk, by=member(utility), note="Agua cortada")
    incident.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED
    assert not incident.events.filter(kind=IncidentEventKind.JOINT_CLOSURE).exists()
