"""The incidents REST API: reporting, and bad input refused in Spanish with nothing stored."""

import json

import pytest

from tests.factories.cms_content import SectionFactory, SubSectionFactory
from tests.workflows import api_incidents_helpers
from tests.workflows.api_incidents_helpers import LIST_URL, _detail_url, _post, _report
from workflows.models import BlockedContact, Incident, IncidentStatus

# The shared fixtures (one autouse), bound in this module so that pytest finds them.
_no_throttling = api_incidents_helpers._no_throttling
api = api_incidents_helpers.api
category = api_incidents_helpers.category


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
