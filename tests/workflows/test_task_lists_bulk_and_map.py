"""Managers bulk-assign queued tasks to their own team only; the task map shows the user's open tasks."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.roles import Role
from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory, SubSectionFactory
from tests.workflows.task_list_helpers import POINT, member, open_task, report
from workflows.models import IncidentEventKind
from workflows.services.task_assignment import tasks_assign_to

pytestmark = pytest.mark.django_db

ASSIGN_URL = "standard:tasks_assign_to"


def test_manager_bulk_assigns_queued_tasks_to_a_team_member(client, actor, agency_manager):
    worker = member(actor, Role.AGENCY_MANAGER)  # triage needs the triage permission
    first, second = report(actor), report(actor)
    tasks = [open_task(first, "triage"), open_task(second, "triage")]
    client.force_login(agency_manager)
    # viewflow's bulk action: the list posts the selection, the confirmation page posts `_confirm`.
    page = client.post(reverse(ASSIGN_URL), {"pk": [t.pk for t in tasks]})
    assert page.status_code == 200
    assert "Asignar a" in page.content.decode()
    response = client.post(
        reverse(ASSIGN_URL), {"pk": [t.pk for t in tasks], "assignee": worker.pk, "_confirm": "1"}
    )
    assert response.status_code == 302
    for task in tasks:
        task.refresh_from_db()
        assert (task.owner_id, task.status) == (worker.pk, "ASSIGNED")
    assert first.events.filter(kind=IncidentEventKind.ASSIGNED, public=False).exists()


def test_queue_offers_bulk_assign_to_managers_only(client, actor, agency_manager, agency_staff):
    report(actor)
    client.force_login(agency_manager)
    assert "Asignar a una persona del equipo" in client.get(reverse("standard:queue")).content.decode()
    client.force_login(agency_staff)
    assert "Asignar a una persona del equipo" not in client.get(reverse("standard:queue")).content.decode()
    assert client.post(reverse(ASSIGN_URL), {"pk": [1]}).status_code == 403


def test_assignee_outside_the_actor_is_refused_and_nothing_changes(client, actor, agency_manager):
    outsider = member(ActorFactory(), Role.AGENCY_MANAGER)
    task = open_task(report(actor), "triage")
    client.force_login(agency_manager)
    response = client.post(reverse(ASSIGN_URL), {"pk": [task.pk], "assignee": outsider.pk, "_confirm": "1"})
    assert response.status_code == 200  # the form again, with the error
    task.refresh_from_db()
    assert task.owner_id is None
    with pytest.raises(ValidationError):
        tasks_assign_to(task_ids=[task.pk], assignee=outsider, by=agency_manager)
    task.refresh_from_db()
    assert task.owner_id is None


def test_another_actors_task_cannot_be_bulk_assigned(client, actor, agency_manager):
    worker = member(actor, Role.AGENCY_MANAGER)
    ours = open_task(report(actor), "triage")
    foreign = open_task(report(ActorFactory()), "triage")
    client.force_login(agency_manager)
    client.post(reverse(ASSIGN_URL), {"pk": [ours.pk, foreign.pk], "assignee": worker.pk, "_confirm": "1"})
    ours.refresh_from_db()
    foreign.refresh_from_db()
    assert ours.owner_id is None and foreign.owner_id is None  # all or nothing
    with pytest.raises(ValidationError):
        tasks_assign_to(task_ids=[foreign.pk], assignee=worker, by=agency_manager)


def test_a_taken_task_is_refused_in_spanish(actor, agency_manager):
    worker = member(actor, Role.AGENCY_MANAGER)
    task = open_task(report(actor), "triage")
    tasks_assign_to(task_ids=[task.pk], assignee=worker, by=agency_manager)
    with pytest.raises(ValidationError, match="ya fue tomada"):
        tasks_assign_to(task_ids=[task.pk], assignee=agency_manager, by=agency_manager)


def test_task_map_shows_the_actors_open_tasks_with_a_place(client, actor, agency_manager):
    NeighbourhoodFactory()
    placed = report(actor, point=POINT)
    report(actor)  # no point: listed nowhere on the map
    foreign = report(ActorFactory(), point=POINT)
    sensitive = report(
        actor, category=SubSectionFactory(responsible_actor=actor, sensitive=True), point=POINT
    )
    client.force_login(agency_manager)
    response = client.get(reverse("workflows_staff:task_map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "js_lib_leaflet/leaflet.js" in html and "portal/js/actor_map.js" in html
    start = html.index('id="task-map-points"')
    points = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    names = " ".join(point["name"] for point in points)
    assert placed.folio in names and foreign.folio not in names
    assert (sensitive.folio in names) is agency_manager.has_perm("workflows.view_sensitive_incident")
    assert all({"lat", "lon", "url"} <= set(point) for point in points)


def test_task_map_is_for_staff_only(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("workflows_staff:task_map")).status_code == 403
