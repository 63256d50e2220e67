"""The task lists' rows (workflows.task_list_rows + workflows/task_list.html): one cell per column header,
with the task's link and the case's values; the pagination summary in the user's language; and a list seen
again does not write the session."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.cms_content import NeighbourhoodFactory
from tests.workflows.task_list_helpers import POINT, open_task, report, task_url
from workflows.models import Incident
from workflows.task_list_rows import case_rows
from workflows.task_lists import CASE_COLUMNS

pytestmark = pytest.mark.django_db


def row_cells(html: str, task) -> list[str]:
    row = re.search(rf'<tr data-row-id="{task.pk}">(.*?)</tr>', html, re.S)
    assert row, f"no row for task {task.pk}"
    return [unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_a_row_has_one_cell_per_column_with_the_task_and_its_case(client, actor, agency_manager):
    barrio = NeighbourhoodFactory(name="Barrio Los Ñires")
    incident = report(actor, point=POINT)
    due = timezone.now() + timedelta(days=10)
    Incident.objects.filter(pk=incident.pk).update(due_at=due, neighbourhood=barrio)
    task = open_task(incident, "triage")
    client.force_login(agency_manager)

    html = client.get(reverse("standard:queue")).content.decode()

    headers = re.findall(r'<th class="vf-list__table-header[^"]*"', html)
    checkbox, *cells = row_cells(html, task)  # a manager's queue has the bulk-selection box first
    assert 'type="checkbox"' in checkbox
    assert len(cells) == len(headers) == len(CASE_COLUMNS)
    link, folio, title, category, neighbourhood, deadline, created, acta = cells
    assert f'href="{task_url(task, "index")}"' in link and f"#{task.process_id}/{task.pk}" in link
    assert folio == incident.folio
    assert title == str(task.title)
    assert category == incident.category.name
    assert neighbourhood == "Barrio Los Ñires"
    assert 'data-deadline="ok"' in deadline and "Dentro del plazo" in deadline
    assert timezone.localtime(due).strftime("%d-%m-%Y") in deadline
    assert str(timezone.localtime(task.created).year) in created
    assert reverse("workflows_staff:acta_pdf", args=[incident.folio]) in acta and "Acta PDF" in acta


def test_a_finished_case_shows_no_due_date_and_a_case_without_place_no_neighbourhood(actor):
    incident = report(actor)
    Incident.objects.filter(pk=incident.pk).update(status="resolved", due_at=timezone.now())
    task = open_task(incident, "triage")

    (row,) = case_rows([task])

    assert row["case"]["deadline"] == "done" and row["case"]["due"] is None
    assert row["case"]["neighbourhood"] == ""


def test_a_task_whose_case_is_gone_keeps_its_own_cells(actor):
    task = open_task(report(actor), "triage")
    task.process.artifact_object_id = 0  # no incident has this id

    (row,) = case_rows([task])

    assert row["case"] is None and row["label"] == f"#{task.process_id}/{task.pk}"


@pytest.mark.parametrize(("language", "expected"), [("es", "1-1 de 1"), ("en", "1-1 of 1")])
def test_the_pagination_summary_is_in_the_users_language(client, actor, agency_manager, language, expected):
    report(actor)
    client.force_login(agency_manager)

    html = client.get(reverse("standard:queue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    summary = re.search(r'pagination-summary">([^<]*)<', html).group(1)
    assert " ".join(summary.split()) == expected


def test_a_list_seen_again_does_not_write_the_session(client, actor, agency_manager):
    report(actor)
    client.force_login(agency_manager)
    queue, inbox = reverse("standard:queue"), reverse("standard:inbox")
    client.get(queue)

    with CaptureQueriesContext(connection) as again:
        client.get(queue)
    with CaptureQueriesContext(connection) as other_list:
        client.get(inbox)

    def session_writes(captured):
        return [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]

    assert session_writes(again) == []
    # Another list is remembered, as viewflow does, for the way back from a task.
    assert len(session_writes(other_list)) == 1
    assert client.session["vf-pin-location"] == inbox
