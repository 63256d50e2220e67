"""The incidents REST API: idempotent reports over HTTP, throttling and the schema."""

import json
import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.workflows import api_incidents_helpers
from tests.workflows.api_incidents_helpers import LIST_URL, NO_LIMITS, _detail_url, _incident, _post, _report
from workflows.models import IdempotencyRecord, Incident, IncidentEvent, IncidentEventKind

# The shared fixtures (one autouse), bound in this module so that pytest finds them.
_no_throttling = api_incidents_helpers._no_throttling
api = api_incidents_helpers.api
category = api_incidents_helpers.category


# --- Idempotency over HTTP ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_same_key_and_same_body_get_the_same_answer_and_one_incident(api, category):
    key = str(uuid.uuid4())
    first = _post(api, _report(category), **{"Idempotency-Key": key})
    # Same content in another key order: still the same request.
    again = _post(api, dict(reversed(list(_report(category).items()))), **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_refused_with_422(api, category):
    key = str(uuid.uuid4())
    _post(api, _report(category), **{"Idempotency-Key": key})
    response = _post(api, _report(category, description="Otra cosa"), **{"Idempotency-Key": key})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "ya se usó" in response.json()["detail"]
    assert Incident.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "con espacio", "x" * 101, "clave/otra"])
def test_a_malformed_idempotency_key_is_refused_and_nothing_stored(api, category, key):
    response = _post(api, _report(category), **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert Incident.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_request_does_not_use_up_its_key(api, category):
    key = str(uuid.uuid4())
    bad = _post(api, _report(category, latitude=-33.44, longitude=-70.65), **{"Idempotency-Key": key})
    assert bad.status_code == 400
    assert IdempotencyRecord.objects.count() == 0
    fixed = _post(api, _report(category), **{"Idempotency-Key": key})
    assert fixed.status_code == 201
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_keys_of_different_users_do_not_collide(category, citizen, django_user_model):
    other = django_user_model.objects.create_user(username="otra-vecina", password="x")
    answers = []
    for user in (citizen, other):
        client = APIClient()
        client.force_login(user)
        answers.append(_post(client, _report(category), **{"Idempotency-Key": "mi-clave"}))
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["folio"] != answers[1].json()["folio"]


class _Poster(threading.Thread):
    def __init__(self, barrier: threading.Barrier, body: dict, key: str):
        super().__init__(daemon=True)
        self.barrier, self.body, self.key = barrier, body, key
        self.response = None

    def run(self):
        try:
            client = APIClient()
            self.barrier.wait(30)
            self.response = _post(client, self.body, **{"Idempotency-Key": self.key})
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_one_key_make_one_incident(category):
    barrier = threading.Barrier(2)
    body, key = _report(category), str(uuid.uuid4())
    posters = [_Poster(barrier, body, key) for _ in range(2)]
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join(60)
    statuses = sorted(p.response.status_code for p in posters)
    assert Incident.objects.count() == 1
    folio = Incident.objects.get().folio
    assert statuses in ([201, 201], [201, 409])
    for poster in posters:
        if poster.response.status_code == 201:
            assert poster.response.json()["folio"] == folio
        else:
            assert poster.response.json()["code"] == "idempotency_in_flight"


# --- Throttling and schema --------------------------------------------------------------------------


@pytest.mark.django_db
def test_too_many_reports_from_one_address_get_429_with_retry_after(settings, category):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**NO_LIMITS, "incident_create": "2/hour"},
    }
    # A fresh address per run: the throttle's counter lives in the shared cache (Redis in CI).
    client = APIClient(REMOTE_ADDR=f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}")
    statuses = [_post(client, _report(category)).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    response = _post(client, _report(category))
    assert int(response["Retry-After"]) > 0
    assert "Demasiadas solicitudes" in response.json()["detail"]
    assert Incident.objects.count() == 2
    assert client.get(LIST_URL).status_code == 200  # reading is not limited


@pytest.mark.django_db
def test_schema_documents_the_incident_endpoints_and_the_idempotency_header(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    create = schema["paths"]["/api/incidents/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"] if p["in"] == "header"]
    assert {"201", "400", "409", "422", "429"} <= set(create["responses"])
    assert "/api/incidents/{folio}/supporters/" in schema["paths"]


@pytest.mark.django_db
def test_public_events_marked_private_stay_out_of_the_timeline(api, category):
    incident = _incident(category)
    IncidentEvent.objects.create(incident=incident, kind=IncidentEventKind.NOTE, public=False, note="interno")
    assert "interno" not in api.get(_detail_url(incident.folio)).content.decode()
