"""Coordination: sub-tasks of other actors with their own deadlines, referral, scoping, shared timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse

from tests.factories.cms_content import ActorFactory, SubSectionFactory
from tests.workflows.flow_kinds_helpers import (
    emergency_category,
    member,
    report,
    task_for_subtask,
    task_url,
)
from workflows.coordination_models import IncidentSubtask, SubtaskStatus
from workflows.models import IncidentEventKind
from workflows.selectors import (
    incident_coordination_user_ids,
    incident_involved_actor_ids,
    incident_list_for_user,
    subtask_list_for_user,
)
from workflows.services import coordination

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(actor):
    return report(SubSectionFactory(responsible_actor=actor), description="Microbasural con neumáticos")


@pytest.fixture
def helper_actor():
    return ActorFactory(name="SEREMI de Salud de prueba")


def add(case, manager, helper_actor, **kwargs):
    values = {
        "instructions": "Fiscalizar el foco sanitario",
        "deadline_amount": 3,
        "deadline_unit": "business_days",
    }
    values.update(kwargs)
    return coordination.subtask_add(incident_id=case.pk, actor=helper_actor, by=manager, **values)


def coordination_url(incident):
    return reverse("coordination:incident", kwargs={"incident_id": incident.pk})


def test_manager_adds_a_subtask_with_its_own_deadline_on_the_shared_timeline(
    case, agency_manager, helper_actor
):
    subtask = add(case, agency_manager, helper_actor, deadline_amount=4, deadline_unit="hours")
    assert subtask.status == SubtaskStatus.OPEN
    assert subtask.due_at - subtask.created_at == pytest.approx(timedelta(hours=4), abs=timedelta(seconds=5))
    event = case.events.get(kind=IncidentEventKind.SUBTASK_ADDED)
    assert (event.public, event.by, event.data["actor"]) == (False, agency_manager, helper_actor.slug)


def test_subtask_actor_is_involved_and_its_staff_see_the_incident(case, actor, agency_manager, helper_actor):
    helper_staff = member(helper_actor)
    assert not incident_list_for_user(user=helper_staff).filter(pk=case.pk).exists()
    add(case, agency_manager, helper_actor)
    assert incident_involved_actor_ids(incident_id=case.pk) == {actor.pk, helper_actor.pk}
    assert helper_staff.pk in incident_coordination_user_ids(incident_id=case.pk)
    assert incident_list_for_user(user=helper_staff).filter(pk=case.pk).exists()
    assert [s.actor for s in subtask_list_for_user(user=helper_staff)] == [helper_actor]


def test_only_a_manager_of_the_responsible_actor_adds_subtasks(case, agency_staff, helper_actor):
    with pytest.raises(PermissionDenied):
        add(case, agency_staff, helper_actor)
    with pytest.raises(PermissionDenied):
        add(case, member(helper_actor, "agency_manager"), helper_actor)
    assert not IncidentSubtask.objects.exists()


def test_bad_input_is_refused_in_spanish_and_nothing_changes(case, agency_manager, helper_actor):
    with pytest.raises(ValidationError) as error:
        add(case, agency_manager, helper_actor, instructions=" ", deadline_amount=0)
    assert set(error.value.message_dict) == {"instructions", "deadline_amount"}
    assert not IncidentSubtask.objects.exists()


def test_http_add_then_helper_staff_acknowledges_and_completes(client, case, agency_manager, helper_actor):
    client.force_login(agency_manager)
    response = client.post(
        reverse("coordination:subtask_add", kwargs={"incident_id": case.pk}),
        {
            "actor": helper_actor.pk,
            "instructions": "Retirar neumáticos",
            "deadline_amount": 2,
            "deadline_unit": "business_days",
        },
    )
    assert response.status_code == 302
    subtask = IncidentSubtask.objects.get()
    helper_staff = member(helper_actor)
    client.force_login(helper_staff)
    page = client.get(reverse("coordination:list"))
    assert page.status_code == 200 and case.folio in page.content.decode()
    assert client.get(coordination_url(case)).status_code == 200
    client.post(reverse("coordination:subtask_acknowledge", kwargs={"subtask_id": subtask.pk}))
    client.post(
        reverse("coordination:subtask_complete", kwargs={"subtask_id": subtask.pk}),
        {"note": "Retirados 40 neumáticos"},
    )
    subtask.refresh_from_db()
    assert (subtask.status, subtask.done_by, subtask.done_note) == (
        SubtaskStatus.DONE,
        helper_staff,
        "Retirados 40 neumáticos",
    )
    kinds = list(case.events.values_list("kind", flat=True))
    assert IncidentEventKind.SUBTASK_ACKNOWLEDGED in kinds and IncidentEventKind.SUBTASK_DONE in kinds


def test_staff_of_the_responsible_actor_cannot_complete_another_actors_subtask(
    client, case, agency_manager, agency_staff, helper_actor
):
    subtask = add(case, agency_manager, helper_actor)
    client.force_login(agency_staff)
    client.post(
        reverse("coordination:subtask_complete", kwargs={"subtask_id": subtask.pk}), {"note": "Hecho"}
    )
    subtask.refresh_from_db()
    assert subtask.status == SubtaskStatus.OPEN


@pytest.mark.parametrize("role", ["citizen", "front_desk", "authority", "neighbourhood_leader"])
def test_coordination_pages_are_forbidden_to_other_roles(client, case, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(coordination_url(case)).status_code == 403
    assert client.get(reverse("coordination:list")).status_code == 403


def test_reporter_cannot_open_the_coordination_page_of_their_own_incident(client, citizen, actor):
    incident = report(SubSectionFactory(responsible_actor=actor), by=citizen)
    client.force_login(citizen)
    assert client.get(coordination_url(incident)).status_code == 403


def test_staff_of_an_uninvolved_actor_get_403(client, case):
    client.force_login(member(ActorFactory(), "agency_manager"))
    assert client.get(coordination_url(case)).status_code == 403


def test_referral_moves_the_subtask_old_actor_no_longer_sees_it(client, case, agency_manager, helper_actor):
    subtask = add(case, agency_manager, helper_actor)
    old_staff = member(helper_actor)
    new_actor = ActorFactory(name="Aseo y Ornato de prueba")
    new_staff = member(new_actor)
    client.force_login(member(helper_actor, "agency_manager"))
    response = client.post(
        reverse("coordination:subtask_refer", kwargs={"subtask_id": subtask.pk}),
        {"actor": new_actor.pk, "note": "El retiro lo hace Aseo"},
    )
    assert response.status_code == 302
    subtask.refresh_from_db()
    assert subtask.actor == new_actor
    event = case.events.get(kind=IncidentEventKind.SUBTASK_REFERRED)
    assert (event.data["from"], event.data["to"]) == (helper_actor.slug, new_actor.slug)
    assert incident_list_for_user(user=new_staff).filter(pk=case.pk).exists()
    assert not incident_list_for_user(user=old_staff).filter(pk=case.pk).exists()
    assert helper_actor.pk not in incident_involved_actor_ids(incident_id=case.pk)


def test_referral_needs_a_manager_and_a_reason(case, agency_manager, helper_actor):
    subtask = add(case, agency_manager, helper_actor)
    with pytest.raises(PermissionDenied):
        coordination.subtask_refer(
            subtask_id=subtask.pk, actor=ActorFactory(), by=member(helper_actor), note="x"
        )
    with pytest.raises(ValidationError):
        coordination.subtask_refer(subtask_id=subtask.pk, actor=ActorFactory(), by=agency_manager, note=" ")
    subtask.refresh_from_db()
    assert subtask.actor == helper_actor


def test_referring_an_emergency_dispatch_moves_its_viewflow_task(client):
    category, responsible, helpers = emergency_category(supporting=1)
    incident = report(category)
    part = IncidentSubtask.objects.get(incident=incident, actor=helpers[0])
    old_staff, new_actor = member(helpers[0]), ActorFactory()
    new_staff = member(new_actor)
    task = task_for_subtask(incident, "acknowledge", part.pk)
    client.force_login(old_staff)
    client.post(task_url(task, "assign"))  # taken, then the manager refers it
    coordination.subtask_refer(
        subtask_id=part.pk,
        actor=new_actor,
        by=member(responsible, "agency_manager"),
        note="Corresponde a otra",
    )
    task.refresh_from_db()
    assert task.owner is None
    assert not task.flow_task.can_assign(old_staff, task)
    assert task.flow_task.can_assign(new_staff, task)


def test_staff_pages_link_to_the_live_coordination_room_when_chat_has_it(client, case, agency_manager):
    client.force_login(agency_manager)
    body = client.get(coordination_url(case)).content.decode()
    try:
        room = reverse("chat:incident_room", kwargs={"incident_id": case.pk})
    except NoReverseMatch:
        assert 'id="coordination-room-link"' not in body
    else:
        assert room in body


def test_task_lists_show_each_actor_only_its_own_part_of_an_emergency(client):
    from viewflow.workflow.models import Task

    from workflows.selectors import tasks_visible_to_user

    category, responsible, helpers = emergency_category(supporting=1)
    incident = report(category)
    helper_part = IncidentSubtask.objects.get(incident=incident, actor=helpers[0])
    helper_staff = member(helpers[0])
    visible = tasks_visible_to_user(user=helper_staff, tasks=Task.objects.all())
    assert [t.data["subtask_id"] for t in visible] == [helper_part.pk]
    client.force_login(helper_staff)
    queue = client.get("/tareas/emergency/queue/")
    assert queue.status_code == 200
    assert queue.context["object_list"] is None or all(
        (t.data or {}).get("subtask_id") == helper_part.pk for t in queue.context["object_list"]
    )


def test_standard_and_emergency_task_pages_link_to_the_shared_work(client, case, agency_manager):
    from tests.workflows.flow_kinds_helpers import open_tasks

    client.force_login(agency_manager)
    triage = open_tasks(case, "triage")[0]
    client.post(task_url(triage, "assign"))
    body = client.get(task_url(triage, "execute")).content.decode()
    assert coordination_url(case) in body

    category, responsible, _helpers = emergency_category()
    emergency = report(category)
    staff = member(responsible)
    client.force_login(staff)
    part = IncidentSubtask.objects.get(incident=emergency, actor=responsible)
    task = task_for_subtask(emergency, "acknowledge", part.pk)
    client.post(task_url(task, "assign"))
    body = client.get(task_url(task, "execute")).content.decode()
    assert coordination_url(emergency) in body and emergency.folio in body
