"""The task lists read a page in a fixed number of queries: no query per row, per filter option or per
time viewflow asks for the list's queryset (the first page must stay fast with 100,000 open tasks)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.cms_content import SubSectionFactory
from tests.workflows.task_list_helpers import report

pytestmark = pytest.mark.django_db


def queries_for(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"standard:{name}"))
    assert response.status_code == 200
    return len(captured)


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
