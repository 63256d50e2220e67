"""The incidents REST API: report (idempotent), public list and detail, supporters, privacy, limits."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories.cms_content import NeighbourhoodFactory, SectionFactory, SubSectionFactory
from workflows import services
from workflows.models import (
    BlockedContact,
    IdempotencyRecord,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    IncidentSupporter,
)

PLAZA = {"latitude": -45.5712, "longitude": -72.0685}
LIST_URL = "/api/incidents/"
NO_LIMITS = {"incident_create": None, "incident_support": None}


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    # The throttle counts in the shared cache; only the throttling test turns it on, with its own rate.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_LIMITS}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def category(db):
    return SubSectionFactory()


def _post(client, body, **headers):
    return client.post(LIST_URL, data=json.dumps(body), content_type="application/json", headers=headers)


def _report(category, **extra):
    return {"category": category.slug, "description": "Basura acumulada en la esquina", **PLAZA, **extra}


def _detail_url(folio: str) -> str:
    return reverse("api-incident-detail", kwargs={"folio": folio})


def _supporters_url(folio: str) -> str:
    return reverse("api-incident-supporters", kwargs={"folio": folio})


# --- Reporting -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_reports_and_gets_folio_status_and_secret_tracking_link(api, category):
    response = _post(api, _report(category, is_anonymous=True))
    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    body = response.json()
    assert set(body) == {"folio", "status", "tracking_url", "created_at"}
    assert body["folio"] == incident.folio
    assert body["status"] == IncidentStatus.RECEIVED
    assert body["tracking_url"].startswith("http://testserver/")
    assert f"s={incident.tracking_secret}" in body["tracking_url"]
    assert incident.channel == "web"
    assert incident.reporter is None


@pytest.mark.django_db
def test_signed_in_citizen_is_recorded_as_the_reporter(api, category, citizen):
    api.force_login(citizen)
    response = _post(api, _report(category))
    assert response.status_code == 201
    assert Incident.objects.get().reporter == citizen


@pytest.mark.django_db
def test_report_with_an_address_and_no_point_is_accepted(api, category):
    body = {"category": category.slug, "description": "Hoyo", "address": "Baquedano 120"}
    response = _post(api, body)
    assert response.status_code == 201
    incident = Incident.objects.get()
    assert (incident.latitude, incident.address) == (None, "Baquedano 120")


@pytest.mark.django_db
def test_html_in_the_description_is_kept_as_plain_text(api, category):
    text = '<b>hola</b> <script>alert("x")</script> & más'
    folio = _post(api, _report(category, description=text)).json()["folio"]
    assert Incident.objects.get().description == text
    assert api.get(_detail_url(folio)).json()["description"] == text


@pytest.mark.django_db
def test_rut_and_phone_are_stored_in_their_clean_form(api, category):
    _post(api, _report(category, contact_rut="12.345.678-5", contact_phone="+56 9 1234 5678"))
    incident = Incident.objects.get()
    assert (incident.contact_rut, incident.contact_phone) == ("12345678-5", "+56912345678")


@pytest.mark.django_db
def test_a_blocked_contact_is_held_quietly_with_a_normal_answer(api, category):
    BlockedContact.objects.create(value="+56911112222", reason="reportes falsos reiterados")
    normal = _post(api, _report(category, contact_email="otra@example.cl"))
    held = _post(api, _report(category, contact_phone="9 1111 2222"))
    assert held.status_code == normal.status_code == 201
    assert set(held.json()) == set(normal.json())
    incident = Incident.objects.get(folio=held.json()["folio"])
    assert incident.held_for_review is True
    assert Incident.objects.get(folio=normal.json()["folio"]).held_for_review is False
    listed = [row["folio"] for row in api.get(LIST_URL).json()["results"]]
    assert listed == [normal.json()["folio"]]
    assert api.get(_detail_url(incident.folio)).status_code == 404
    # The reporter's own link still opens it, as for any report.
    assert api.get(held.json()["tracking_url"]).status_code == 200


@pytest.mark.django_db
def test_blocked_email_is_matched_whatever_its_case(api, category):
    BlockedContact.objects.create(value="troll@example.cl", reason="abuso")
    _post(api, _report(category, contact_email="Troll@Example.CL"))
    assert Incident.objects.get().held_for_review is True


# --- Bad input: 400 in Spanish, nothing stored -------------------------------------------------------


def _long(n: int) -> str:
    return "a" * n


BAD_JSON_BODIES = [
    ('{"category": ', "no es JSON válido"),
    ('{"category": "x", "description": "y", "latitude": NaN, "longitude": -72}', "número no válido"),
    ('{"category": "x", "description": "y", "latitude": Infinity, "longitude": -72}', "número no válido"),
    ('{"category": "x", "description": "y", "latitude": 1e309, "longitude": -72}', "número no válido"),
    ('{"category": "x", "description": "\\ud800"}', "caracteres no válidos"),
    ("[" * 50 + "]" * 50, "niveles anidados"),
    ('{"a": ' * 5000 + "1" + "}" * 5000, "JSON"),
    (b"\xff\xfe{}", "UTF-8"),
    ('{"category": "a", "description": "x", "category": "b"}', "repite el campo «category»"),
    ('{"\\ud800": 1, "\\ud800": 2}', "repite el campo"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "message"), BAD_JSON_BODIES)
def test_unreadable_json_is_refused_in_spanish(api, raw, message):
    response = api.post(LIST_URL, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_refused(api, category):
    response = api.post(
        LIST_URL,
        data=json.dumps(_report(category, address="x" * 70_000)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "demasiado grande" in response.json()["detail"]
    assert Incident.objects.count() == 0


BAD_FIELDS = [
    # (changes to a valid report, field with the error, part of the Spanish message)
    ({"category": "no-existe"}, "category", "Categoría desconocida"),
    ({"category": "__section__"}, "category", "no una sección"),
    ({"category": "__inactive__"}, "category", "no recibe reportes"),
    ({"category": "__blocks_form__"}, "category", "llame al 132"),
    ({"category": 7}, "category", "Debe ser texto"),
    ({"description": None}, "description", "nulo"),
    ({"description": "   "}, "description", "en blanco"),
    ({"description": _long(4001)}, "description", "4000"),
    ({"description": "hola\x00mundo"}, "description", "nulos"),
    ({"description": "hola\x07"}, "description", "caracteres no válidos"),
    ({"description": 123}, "description", "Debe ser texto"),
    ({"latitude": -33.44, "longitude": -70.65}, "latitude", "fuera de la comuna"),
    ({"longitude": None}, "latitude", "latitud y longitud"),
    ({"latitude": "abc"}, "latitude", "Debe ser un número"),
    ({"latitude": True}, "latitude", "Debe ser un número"),
    ({"latitude": 123.0}, "latitude", "menor o igual"),
    ({"latitude": None, "longitude": None}, "address", "Marque el lugar"),
    ({"is_anonymous": "si"}, "is_anonymous", "true o false"),
    ({"contact_rut": "12.345.678-9"}, "contact_rut", "RUT no válido"),
    ({"contact_rut": "abc"}, "contact_rut", "RUT no válido"),
    ({"contact_email": "no-es-correo"}, "contact_email", "correo electrónico válido"),
    ({"contact_phone": "llámame"}, "contact_phone", "Teléfono no válido"),
    ({"contact_phone": "123"}, "contact_phone", "Teléfono no válido"),
    ({"contact_name": _long(151)}, "contact_name", "150"),
    ({"channel": "front_desk"}, "channel", "Campo desconocido"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), BAD_FIELDS)
def test_bad_fields_are_refused_with_a_spanish_message_and_nothing_stored(
    api, category, changes, field, message
):
    section = category.parent
    special = {
        "__section__": section.slug,
        "__inactive__": SubSectionFactory(parent=section, active=False).slug,
        "__blocks_form__": SubSectionFactory(parent=section, blocks_form=True, emergency_phone="132").slug,
    }
    body = _report(category)
    body.update(changes)
    body["category"] = special.get(body["category"], body["category"])
    response = _post(api, body)
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert any(message in text for text in errors[field]), errors
    assert Incident.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["[1, 2]", "null", '"texto"', "42"])
def test_a_body_that_is_not_an_object_is_refused_in_spanish(api, raw):
    response = api.post(LIST_URL, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "objeto JSON" in response.json()["non_field_errors"][0]
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_category_under_a_withdrawn_section_cannot_be_reported(api):
    category = SubSectionFactory(parent=SectionFactory(active=False))
    response = _post(api, _report(category))
    assert response.status_code == 400
    assert "no recibe reportes" in response.json()["category"][0]


@pytest.mark.django_db
def test_category_requiring_a_point_refuses_an_address_only_report(api):
    category = SubSectionFactory(requires_exact_location=True)
    response = _post(api, {"category": category.slug, "description": "x", "address": "Prat 10"})
    assert response.status_code == 400
    assert "punto exacto" in response.json()["latitude"][0]


@pytest.mark.django_db
def test_category_requiring_contact_refuses_anonymous_reports(api):
    category = SubSectionFactory(requires_contact=True)
    response = _post(api, _report(category, is_anonymous=True, contact_phone="+56911112222"))
    assert response.status_code == 400
    assert "anónimos" in response.json()["is_anonymous"][0]


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


# --- Public list ------------------------------------------------------------------------------------


def _incident(category, **extra):
    return services.incident_report(
        category=category, description="Algo pasa", **{**PLAZA, **extra}, start_flow=False
    )


@pytest.mark.django_db
def test_list_shows_public_incidents_with_their_public_fields(api, category):
    barrio = NeighbourhoodFactory()
    incident = _incident(category, latitude=-45.571234567, longitude=-72.068512345)
    row = api.get(LIST_URL).json()["results"][0]
    assert row == {
        "folio": incident.folio,
        "category": category.slug,
        "category_name": category.name,
        "section": category.parent.slug,
        "section_name": category.parent.name,
        "status": "received",
        "status_label": "Recibido",
        "neighbourhood": barrio.slug,
        "neighbourhood_name": barrio.name,
        "latitude": -45.57123,
        "longitude": -72.06851,
        "created_at": row["created_at"],
        "supporters_count": 0,
        "responsible_actor": category.responsible_actor.name,
    }


@pytest.mark.django_db
def test_sensitive_and_non_public_categories_are_never_listed(api, category):
    visible = _incident(category)
    _incident(SubSectionFactory(sensitive=True, public=False))
    _incident(SubSectionFactory(public=False))
    _incident(SubSectionFactory(parent=SectionFactory(sensitive=True, public=False)))
    folios = [row["folio"] for row in api.get(LIST_URL).json()["results"]]
    assert folios == [visible.folio]


@pytest.mark.django_db
@pytest.mark.parametrize("filter_name", ["category", "section", "neighbourhood", "status"])
def test_list_filters_narrow_the_results(api, filter_name):
    NeighbourhoodFactory()
    wanted = _incident(SubSectionFactory())
    other = _incident(SubSectionFactory(), latitude=-45.60, longitude=-72.10)  # outside the barrio
    services.incident_change_status(incident_id=other.pk, status=IncidentStatus.IN_REVIEW, by=None)
    value = {
        "category": wanted.category.slug,
        "section": wanted.category.parent.slug,
        "neighbourhood": wanted.neighbourhood.slug,
        "status": "received",
    }[filter_name]
    folios = [row["folio"] for row in api.get(LIST_URL, {filter_name: value}).json()["results"]]
    assert folios == [wanted.folio]


@pytest.mark.django_db
def test_list_filters_by_creation_dates(api, category):
    old, new = _incident(category), _incident(category)
    Incident.objects.filter(pk=old.pk).update(created_at="2026-01-10T12:00:00Z")
    Incident.objects.filter(pk=new.pk).update(created_at="2026-03-10T12:00:00Z")
    after = api.get(LIST_URL, {"created_after": "2026-02-01"}).json()["results"]
    before = api.get(LIST_URL, {"created_before": "2026-02-01T00:00:00-03:00"}).json()["results"]
    assert [row["folio"] for row in after] == [new.folio]
    assert [row["folio"] for row in before] == [old.folio]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"status": "inventado"}, {"created_after": "ayer"}, {"category": "a\x00b"}]
)
def test_bad_list_filters_are_refused_with_400(api, params):
    response = api.get(LIST_URL, params)
    assert response.status_code == 400


@pytest.mark.django_db
def test_list_is_paginated(api, category):
    for _ in range(3):
        _incident(category)
    page = api.get(LIST_URL, {"page_size": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None


# --- Public detail ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_only_public_events_without_who_did_them(api, category, agency_manager):
    incident = _incident(category)
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_REVIEW, by=agency_manager, note="Lo revisamos"
    )
    services.incident_set_priority(incident_id=incident.pk, priority="high", by=agency_manager)
    body = api.get(_detail_url(incident.folio)).json()
    assert [event["kind"] for event in body["timeline"]] == ["reported", "status_changed"]
    assert body["timeline"][1]["status"] == "in_review"
    assert body["timeline"][1]["note"] == "Lo revisamos"
    assert all("by" not in event for event in body["timeline"])
    assert agency_manager.username not in json.dumps(body)


@pytest.mark.django_db
def test_a_sensitive_incident_is_found_only_with_its_secret(api):
    incident = _incident(SubSectionFactory(sensitive=True, public=False))
    assert api.get(_detail_url(incident.folio)).status_code == 404
    assert api.get(_detail_url(incident.folio), {"s": "wrong"}).status_code == 404
    found = api.get(_detail_url(incident.folio), {"s": incident.tracking_secret})
    assert found.status_code == 200
    assert found.json()["folio"] == incident.folio


@pytest.mark.django_db
def test_a_signed_in_reporter_sees_their_own_sensitive_case_without_the_secret(api, citizen):
    incident = services.incident_report(
        category=SubSectionFactory(sensitive=True, public=False),
        description="Caso protegido",
        by=citizen,
        start_flow=False,
        **PLAZA,
    )
    api.force_login(citizen)
    assert api.get(_detail_url(incident.folio)).status_code == 200
    assert APIClient().get(_detail_url(incident.folio)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_folio_is_a_404_in_spanish(api):
    response = api.get(_detail_url("CN-2026-999999"))
    assert response.status_code == 404
    assert response.json()["detail"] == "Incidente no encontrado."


# --- Privacy ----------------------------------------------------------------------------------------

CONTACT = {
    "contact_name": "Rosalía Mardones Quintana",
    "contact_rut": "12.345.678-5",
    "contact_phone": "+56 9 8765 4321",
    "contact_email": "rosalia.mardones@example.cl",
}
CONTACT_TRACES = [
    "Rosalía",
    "Mardones",
    "12.345.678",
    "12345678",
    "8765",
    "987654321",
    "rosalia.mardones",
    "example.cl",
]


@pytest.mark.django_db
def test_contact_details_never_appear_in_any_response(api, category, citizen):
    api.force_login(citizen)
    created = _post(api, _report(category, **CONTACT))
    folio = created.json()["folio"]
    incident = Incident.objects.get()
    assert incident.contact_email == CONTACT["contact_email"]  # stored, for staff
    anonymous = APIClient()
    responses = [
        created,
        api.get(LIST_URL),
        anonymous.get(LIST_URL),
        api.get(_detail_url(folio)),
        anonymous.get(_detail_url(folio), {"s": incident.tracking_secret}),
        anonymous.post(_supporters_url(folio)),
    ]
    for response in responses:
        text = response.content.decode()
        assert response.status_code in (200, 201)
        for trace in [*CONTACT_TRACES, citizen.username]:
            assert trace not in text, (response.request["PATH_INFO"], trace)


# --- Supporters -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_session_supports_once(api, category):
    incident = _incident(category)
    first = api.post(_supporters_url(incident.folio))
    second = api.post(_supporters_url(incident.folio))
    assert (first.status_code, first.json()["supporters_count"], first.json()["created"]) == (201, 1, True)
    assert (second.status_code, second.json()["supporters_count"], second.json()["created"]) == (
        200,
        1,
        False,
    )
    other = APIClient().post(_supporters_url(incident.folio))
    assert other.json()["supporters_count"] == 2
    incident.refresh_from_db()
    assert incident.supporters_count == IncidentSupporter.objects.filter(incident=incident).count() == 2


@pytest.mark.django_db
def test_a_signed_in_user_supports_once_whatever_the_browser(category, citizen):
    incident = _incident(category)
    for _ in range(2):
        client = APIClient()
        client.force_login(citizen)
        client.post(_supporters_url(incident.folio))
    incident.refresh_from_db()
    assert incident.supporters_count == 1
    supporter = IncidentSupporter.objects.get()
    assert (supporter.user, supporter.session_key) == (citizen, "")
    assert incident.events.filter(kind=IncidentEventKind.SUPPORTED, public=False).count() == 1


@pytest.mark.django_db
def test_support_shows_in_the_public_count(api, category):
    incident = _incident(category)
    api.post(_supporters_url(incident.folio))
    assert api.get(LIST_URL).json()["results"][0]["supporters_count"] == 1


@pytest.mark.django_db
def test_a_closed_incident_cannot_be_supported(api, category):
    incident = _incident(category)
    services.incident_change_status(incident_id=incident.pk, status=IncidentStatus.CLOSED, by=None)
    response = api.post(_supporters_url(incident.folio))
    assert response.status_code == 409
    assert response.json()["code"] == "closed"
    assert IncidentSupporter.objects.count() == 0


@pytest.mark.django_db
def test_a_sensitive_incident_cannot_be_supported_or_found(api):
    incident = _incident(SubSectionFactory(sensitive=True, public=False))
    response = api.post(_supporters_url(incident.folio))
    assert response.status_code == 404
    assert IncidentSupporter.objects.count() == 0


@pytest.mark.django_db
def test_support_service_refuses_a_held_incident(category):
    incident = _incident(category)
    Incident.objects.filter(pk=incident.pk).update(held_for_review=True)
    with pytest.raises(services.SupportRefused) as refused:
        services.incident_support(incident_id=incident.pk, user=None, session_key="abc")
    assert refused.value.code == "not_public"


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
