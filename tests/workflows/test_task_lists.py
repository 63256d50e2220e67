"""Task lists: case columns, filters (category, neighbourhood, deadline light), actor scoping."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory, SubSectionFactory
from tests.workflows.task_list_helpers import POINT, open_task, report
from workflows.models import Incident
from workflows.task_selectors import DeadlineState, deadline_state

pytestmark = pytest.mark.django_db


def queue_html(client, **params):
    response = client.get(reverse("standard:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def marker(incident):
    return f"#{open_task(incident, 'triage').process_id}/"


def test_queue_shows_the_cases_folio_category_and_deadline_light(client, actor, agency_manager):
    incident = report(actor)
    client.force_login(agency_manager)
    html = queue_html(client)
    assert incident.folio in html and incident.category.name in html
    assert 'data-deadline="ok"' in html and "Dentro del plazo" in html
    assert reverse("workflows_staff:acta_pdf", args=[incident.folio]) in html


def test_filter_by_category(client, actor, agency_manager):
    first, second = report(actor), report(actor)
    client.force_login(agency_manager)
    html = queue_html(client, category=first.category_id)
    assert marker(first) in html and marker(second) not in html


def test_filter_by_neighbourhood(client, actor, agency_manager):
    barrio = NeighbourhoodFactory()
    inside = report(actor, point=POINT)
    elsewhere = report(actor)
    assert inside.neighbourhood == barrio
    client.force_login(agency_manager)
    html = queue_html(client, neighbourhood=barrio.pk)
    assert marker(inside) in html and marker(elsewhere) not in html


@pytest.mark.parametrize(
    ("due_in", "state"),
    [(timedelta(days=5), "ok"), (timedelta(hours=20), "soon"), (timedelta(hours=-1), "late")],
)
def test_filter_by_deadline_light(client, actor, agency_manager, due_in, state):
    incidents = {name: report(actor) for name in ("ok", "soon", "late")}
    now = timezone.now()
    offsets = {"ok": timedelta(days=5), "soon": timedelta(hours=20), "late": timedelta(hours=-1)}
    for name, incident in incidents.items():
        Incident.objects.filter(pk=incident.pk).update(due_at=now + offsets[name])
    assert deadline_state(incident=Incident.objects.get(pk=incidents[state].pk)) == state
    client.force_login(agency_manager)
    html = queue_html(client, deadline=state)
    for name, incident in incidents.items():
        assert (marker(incident) in html) is (name == state), name


def test_unknown_filter_value_is_ignored_not_a_500(client, actor, agency_manager):
    report(actor)
    client.force_login(agency_manager)
    response = client.get(reverse("standard:queue"), {"deadline": "purple", "category": "x"})
    assert response.status_code == 200


def test_staff_never_see_another_actors_tasks_nor_their_own_reports_elsewhere(client, actor, agency_manager):
    other_actor = ActorFactory()
    foreign = report(other_actor)
    own_elsewhere = report(other_actor, by=agency_manager)
    ours = report(actor)
    client.force_login(agency_manager)
    html = queue_html(client)
    assert marker(ours) in html
    assert marker(foreign) not in html and marker(own_elsewhere) not in html
    html = queue_html(client, category=foreign.category_id)
    assert marker(foreign) not in html


def test_sensitive_cases_only_for_staff_allowed_to_see_them(client, actor, agency_manager):
    sensitive = report(actor, category=SubSectionFactory(responsible_actor=actor, sensitive=True))
    client.force_login(agency_manager)
    allowed = agency_manager.has_perm("workflows.view_sensitive_incident")
    assert (marker(sensitive) in queue_html(client)) is allowed


def test_inbox_and_archive_have_the_case_filters(client, actor, agency_manager):
    report(actor)
    client.force_login(agency_manager)
    for name in ("inbox", "archive"):
        response = client.get(reverse(f"standard:{name}"), {"deadline": DeadlineState.LATE})
        assert response.status_code == 200, name
