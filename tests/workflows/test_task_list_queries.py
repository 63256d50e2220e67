"""The task lists read a page in a fixed number of queries: no query per row, per filter option or per
time viewflow asks for the list's queryset (the first page must stay fast with 100,000 open tasks).

Nothing reads every task of the list either: the task-kind options come from the flow's nodes, and counts
(the pagination summary, the menu badges) stop past the requested page or COUNT_LIMIT rows, exact below.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.fields import get_task_ref

from tests.factories.cms_content import ActorFactory, SubSectionFactory
from tests.workflows.task_list_helpers import report
from workflows import task_list_counts
from workflows.flows import StandardFlow
from workflows.task_lists import CaseQueueView

pytestmark = pytest.mark.django_db


def captured_get(client, name: str, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"standard:{name}"), params)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured]


def queries_for(client, name: str) -> int:
    return len(captured_get(client, name)[1])


def task_counts(queries: list[str]) -> list[str]:
    return [sql for sql in queries if "SELECT COUNT(*)" in sql and "viewflow_task" in sql]


def badges(html: str) -> list[str]:
    """The flow menu's badges: inbox, then queue."""
    return re.findall(r'class="mdc-list-item__meta">([^<]*)<', html)


def summary(html: str) -> str:
    return " ".join(re.search(r'pagination-summary">([^<]*)<', html).group(1).split())


@pytest.mark.parametrize("name", ["queue", "inbox", "archive"])
def test_more_tasks_and_categories_do_not_mean_more_queries(client, actor, agency_manager, name):
    for _ in range(3):
        report(actor)
    client.force_login(agency_manager)
    queries_for(client, name)  # warm-up: session, content types, permissions cache
    few = queries_for(client, name)
    for _ in range(20):
        report(actor, category=SubSectionFactory(responsible_actor=actor))
    many = queries_for(client, name)
    assert many == few, f"{few} queries with 3 tasks, {many} with 23"


@pytest.mark.parametrize("name", ["queue", "inbox", "archive"])
def test_task_kinds_come_from_the_flow_not_from_a_scan_of_the_tasks(client, actor, agency_manager, name):
    report(actor)  # only triage tasks exist
    client.force_login(agency_manager)
    response, queries = captured_get(client, name)
    assert not [sql for sql in queries if 'DISTINCT "viewflow_task"."flow_task"' in sql]
    choices = dict(response.context["view"].filterset.filters["flow_task"].field.choices)
    humans = [node for node in StandardFlow.instance.nodes() if node.task_type == "HUMAN"]
    assert {get_task_ref(node) for node in humans} <= set(choices)
    triage = get_task_ref(StandardFlow.instance.node("triage"))
    assert choices[triage] == f"{StandardFlow.process_title}/Triage"  # viewflow's label


def test_filter_by_task_kind_still_filters(client, actor, agency_manager):
    report(actor)
    client.force_login(agency_manager)
    triage = get_task_ref(StandardFlow.instance.node("triage"))
    resolve = get_task_ref(StandardFlow.instance.node("resolve_case"))
    assert summary(captured_get(client, "queue", flow_task=triage)[0].content.decode()) == "1-1 de 1"
    assert summary(captured_get(client, "queue", flow_task=resolve)[0].content.decode()) == "0-0 de 0"


def test_queue_counts_its_tasks_once_for_the_pagination_and_the_badge(client, actor, agency_manager):
    for _ in range(2):
        report(actor)
    client.force_login(agency_manager)
    response, queries = captured_get(client, "queue")
    counts = task_counts(queries)
    # The queue's count serves its pagination and its badge; the other is the inbox's badge.
    assert len(counts) == 2, counts
    assert all("LIMIT" in sql for sql in counts), "every count stops at a bound"
    html = response.content.decode()
    assert badges(html) == ["0", "2"]
    assert summary(html) == "1-2 de 2" and 'data-total-items-count="2"' in html


def test_badges_count_only_the_tasks_the_lists_show(client, actor, agency_manager):
    report(actor)
    for _ in range(2):
        report(ActorFactory())  # another actor's cases: never in this manager's lists nor badges
    client.force_login(agency_manager)
    response, _ = captured_get(client, "inbox")
    assert badges(response.content.decode()) == ["0", "1"]


def test_past_the_count_limit_the_list_says_so_and_still_pages(client, actor, agency_manager, monkeypatch):
    monkeypatch.setattr(task_list_counts, "COUNT_LIMIT", 3)
    monkeypatch.setattr(CaseQueueView, "paginate_by", 2)
    for _ in range(5):
        report(actor)
    client.force_login(agency_manager)
    pages = {}
    for page in (1, 2, 3):
        response, queries = captured_get(client, "queue", page=page)
        pages[page] = response.content.decode()
        assert all("LIMIT" in sql for sql in task_counts(queries))
    # Counting stops one row past the page (and past COUNT_LIMIT): enough to know a next page exists.
    assert summary(pages[1]) == "1-2 de 3+" and badges(pages[1]) == ["0", "3+"]
    assert summary(pages[2]) == "3-4 de 4+"
    assert summary(pages[3]) == "5-5 de 5"  # the last page knows the exact total
    for page in (1, 2):
        assert 'data-list-page-has-next="1"' in pages[page]
        # viewflow's "select all N" needs the total: offered only when it is known.
        assert "data-total-items-count" not in pages[page]
    assert 'data-list-page-has-next="0"' in pages[3] and 'data-total-items-count="5"' in pages[3]
    assert summary(captured_get(client, "queue", page="last")[0].content.decode()) == "5-5 de 5"
