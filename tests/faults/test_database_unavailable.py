"""The database drops out during a submission: a fast 503 with Retry-After, never a hang or a bare 500;
the client's retry with the same Idempotency-Key then yields exactly one incident.

The outage is simulated in-process (the create path raises OperationalError as psycopg2 does when
PostgreSQL restarts), so it runs the same on SQLite and PostgreSQL without touching the shared server.
"""

import time

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows.models import Incident

pytestmark = pytest.mark.django_db

URL = "/api/incidents/"


@pytest.fixture
def category(db):
    NeighbourhoodFactory()
    return SubSectionFactory()


@pytest.fixture
def outage(monkeypatch):
    """While on, creating an incident fails as a lost PostgreSQL connection does."""
    from workflows.api import views

    real = views.incident_report_web
    state = {"down": True}

    def flaky(**kwargs):
        if state["down"]:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(views, "incident_report_web", flaky)
    return state


def _body(category):
    return {
        "category": category.slug,
        "description": "Poste caído",
        "latitude": -45.5712,
        "longitude": -72.0685,
    }


def test_the_api_answers_503_with_retry_after_and_the_retry_creates_one_incident(category, outage):
    client = Client(raise_request_exception=False)
    headers = {"Idempotency-Key": "reintento-1"}
    started = time.monotonic()
    response = client.post(URL, _body(category), content_type="application/json", headers=headers)
    assert time.monotonic() - started < 5  # fast, not a hang
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "service_unavailable"
    assert "no está disponible" in response.json()["detail"]
    assert Incident.objects.count() == 0

    outage["down"] = False
    first = client.post(URL, _body(category), content_type="application/json", headers=headers)
    again = client.post(URL, _body(category), content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["folio"] == again.json()["folio"]
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("path", ["/", "/reportar/", "/seguimiento/CN-2026-000001/"])
def test_a_citizen_page_answers_a_spanish_503_page(db, path):
    from django.db import connection

    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Estamos recuperando el servicio" in response.content.decode()


def test_the_500_handler_turns_database_errors_into_503_and_leaves_others_alone(rf):
    from cooperanet.errors import server_error

    request = rf.get("/reportar/")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"]
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
