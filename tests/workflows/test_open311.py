"""Open311 GeoReport v2 at /open311/v2/: every endpoint in XML and JSON, errors, privacy, keys."""

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories.accounts import UserFactory
from tests.factories.cms_content import SectionFactory, SubSectionFactory
from workflows import services
from workflows.models import (
    Incident,
    IncidentEvent,
    IncidentPhoto,
    IncidentStatus,
    IntegratorKey,
    ReportChannel,
)
from workflows.open311.services import integrator_key_issue

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.open311_urls")]

BASE = "/open311/v2/"
FORMATS = ["json", "xml"]
PLAZA = {"lat": "-45.5712", "long": "-72.0685"}
# The spec's list elements and the element of each item (<services><service>…).
SPEC_LISTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
IDENTITY = {
    "first_name": "Zacarías",
    "last_name": "Ulloa-Quintrileo",
    "email": "zacarias.privado@example.cl",
    "phone": "+56 9 8765 4321",
}


# --- helpers -----------------------------------------------------------------------------------------


def _xml_data(element: ET.Element):
    """An XML element as lists, dicts and texts, checking that list items are named as in the spec."""
    if element.tag in SPEC_LISTS:
        assert all(child.tag == SPEC_LISTS[element.tag] for child in element), element.tag
        return [_xml_data(child) for child in element]
    if len(element):
        return {child.tag: _xml_data(child) for child in element}
    return element.text or ""


def _as_text(value):
    """JSON values as XML would write them, so both formats compare alike."""
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def parse(response, fmt: str, root: str):
    """The body as texts; XML must be UTF-8 text/xml under `root`, JSON application/json."""
    if fmt == "xml":
        assert response["Content-Type"].startswith("text/xml")
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        element = ET.fromstring(response.content)
        assert element.tag == root
        return _xml_data(element)
    assert response["Content-Type"].startswith("application/json")
    return _as_text(json.loads(response.content))


def post_request(client, fmt: str, **fields):
    return client.post(
        f"{BASE}requests.{fmt}", data=urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def report(category, *, description="Basura acumulada en la esquina", **kwargs):
    kwargs.setdefault("latitude", -45.5712)
    kwargs.setdefault("longitude", -72.0685)
    return services.incident_report(category=category, description=description, **kwargs)


def shift_created(incident, days: int):
    Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - timedelta(days=days))


def listed_ids(client, fmt: str, query: str = "") -> list[str]:
    response = client.get(f"{BASE}requests.{fmt}{query}")
    assert response.status_code == 200
    return [item["service_request_id"] for item in parse(response, fmt, "service_requests")]


def assert_error(response, fmt: str, status: int, mentions: str = "") -> list[dict]:
    assert response.status_code == status
    errors = parse(response, fmt, "errors")
    assert errors
    assert all(set(error) == {"code", "description"} and error["code"] == str(status) for error in errors)
    assert mentions in " ".join(error["description"] for error in errors)
    return errors


@pytest.fixture
def category():
    return SubSectionFactory(description="Basura, escombros o microbasurales en la vía pública.")


@pytest.fixture
def api_key():
    _integrator, key = integrator_key_issue(name="App vecinal de prueba")
    return key


@pytest.fixture
def hidden_categories():
    """Categories Open311 must never show: sensitive, non-public, and under a non-public section."""
    return [
        SubSectionFactory(sensitive=True, public=False),
        SubSectionFactory(public=False),
        SubSectionFactory(parent=SectionFactory(public=False)),
    ]


# --- discovery and services --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_this_endpoint_and_both_formats(client, fmt):
    data = parse(client.get(f"{BASE}discovery.{fmt}"), fmt, "discovery")
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    [endpoint] = data["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"] == data["changeset"] != ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_lists_a_reportable_sub_section_with_the_spec_fields(client, category, fmt):
    services_ = parse(client.get(f"{BASE}services.{fmt}"), fmt, "services")
    assert services_ == [
        {
            "service_code": category.slug,
            "service_name": category.name,
            "description": category.description,
            "metadata": "false",
            "type": "realtime",
            "keywords": f"{category.name}, {category.parent.name}",
            "group": category.parent.name,
        }
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sensitive_non_public_inactive_and_phone_only_categories_are_never_services(
    client, category, hidden_categories, fmt
):
    inactive = SubSectionFactory(active=False)
    phone_only = SubSectionFactory(blocks_form=True, emergency_phone="132")
    codes = [item["service_code"] for item in parse(client.get(f"{BASE}services.{fmt}"), fmt, "services")]
    assert codes == [category.slug]
    for hidden in [*hidden_categories, inactive, phone_only, category.parent]:
        assert client.get(f"{BASE}services/{hidden.slug}.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_without_requirements_has_an_empty_attribute_list(client, category, fmt):
    response = client.get(f"{BASE}services/{category.slug}.{fmt}")
    assert parse(response, fmt, "service_definition") == {"service_code": category.slug, "attributes": []}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_requirements_become_required_attributes_in_the_spec_shape(client, fmt):
    category = SubSectionFactory(requires_photo=True, requires_contact=True)
    definition = parse(client.get(f"{BASE}services/{category.slug}.{fmt}"), fmt, "service_definition")
    attributes = definition["attributes"]
    assert [attribute["code"] for attribute in attributes] == ["media_url", "contact"]
    assert all(set(attribute) == ATTRIBUTE_FIELDS for attribute in attributes)
    assert [attribute["order"] for attribute in attributes] == ["1", "2"]
    assert all(attribute["required"] == "true" and attribute["values"] == [] for attribute in attributes)
    [listed] = parse(client.get(f"{BASE}services.{fmt}"), fmt, "services")
    assert listed["metadata"] == "true"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_a_404_error_list(client, fmt):
    assert_error(client.get(f"{BASE}services/no-existe.{fmt}"), fmt, 404, "service_code")


# --- POST requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_an_open311_incident_and_answers_its_folio(client, category, api_key, fmt):
    response = post_request(
        client,
        fmt,
        api_key=api_key,
        service_code=category.slug,
        description="Microbasural frente al liceo",
        media_url="https://fotos.example.org/123.jpg",
        **PLAZA,
        **IDENTITY,
    )
    assert response.status_code == 200
    incident = Incident.objects.get()
    assert parse(response, fmt, "service_requests") == [
        {
            "service_request_id": incident.folio,
            "service_notice": (
                f"Reporte {incident.folio} recibido; lo atiende {category.responsible_actor.name}."
            ),
            "account_id": "",
        }
    ]
    assert incident.channel == ReportChannel.OPEN311
    assert (incident.latitude, incident.longitude) == (-45.5712, -72.0685)
    assert (incident.contact_name, incident.contact_email) == ("Zacarías Ulloa-Quintrileo", IDENTITY["email"])


def test_post_keeps_the_media_url_only_in_a_staff_only_event(client, category, api_key):
    url = "https://fotos.example.org/123.jpg"
    post_request(
        client, "json", api_key=api_key, service_code=category.slug, description="x", media_url=url, **PLAZA
    )
    event = IncidentEvent.objects.get(data__media_url=url)
    assert event.public is False
    assert event.data["integrator"] == "App vecinal de prueba"


def test_post_needs_no_csrf_token_since_integrators_use_their_api_key(category, api_key):
    strict_client = Client(enforce_csrf_checks=True)
    fields = {"api_key": api_key, "service_code": category.slug, "description": "x", **PLAZA}
    assert post_request(strict_client, "json", **fields).status_code == 200


def test_post_with_only_an_address_is_accepted(client, category, api_key):
    response = post_request(
        client,
        "json",
        api_key=api_key,
        service_code=category.slug,
        description="x",
        address_string="Baquedano 120",
    )
    assert response.status_code == 200
    assert Incident.objects.get().address == "Baquedano 120"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key_kind", ["missing", "wrong", "revoked"])
def test_post_without_a_valid_active_api_key_is_403(client, category, api_key, fmt, key_kind):
    fields = {"service_code": category.slug, "description": "x", **PLAZA}
    if key_kind == "wrong":
        fields["api_key"] = api_key[:-1] + ("a" if api_key[-1] != "a" else "b")
    elif key_kind == "revoked":
        IntegratorKey.objects.update(active=False)
        fields["api_key"] = api_key
    assert_error(post_request(client, fmt, **fields), fmt, 403, "api_key")
    assert Incident.objects.count() == 0


BAD_POSTS = [
    ({"service_code": ""}, "service_code"),
    ({"service_code": "no-existe"}, "service_code"),
    ({"lat": "", "long": ""}, "address_string"),
    ({"long": ""}, "lat y long"),
    ({"lat": "-33.44", "long": "-70.65"}, "fuera de la comuna"),
    ({"lat": "nan"}, "lat"),
    ({"description": ""}, "description"),
    ({"description": "<script>alert(1)</script>"}, "description"),
    ({"email": "no-es-correo"}, "email"),
    ({"media_url": "no es una url"}, "media_url"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("change", "mentions"), BAD_POSTS)
def test_bad_post_is_a_400_error_list_naming_the_field_and_stores_nothing(
    client, category, api_key, fmt, change, mentions
):
    fields = {"api_key": api_key, "service_code": category.slug, "description": "Hoyo", **PLAZA, **change}
    assert_error(post_request(client, fmt, **fields), fmt, 400, mentions)
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_to_a_hidden_category_is_refused_like_an_unknown_one(client, api_key, hidden_categories, fmt):
    for hidden in hidden_categories:
        fields = {"api_key": api_key, "service_code": hidden.slug, "description": "x", **PLAZA}
        assert_error(post_request(client, fmt, **fields), fmt, 400, "servicio desconocido")
    assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("requirement", "mentions"),
    [("requires_photo", "media_url"), ("requires_contact", "email"), ("requires_exact_location", "lat")],
)
def test_post_missing_what_the_category_requires_is_400(client, api_key, requirement, mentions):
    category = SubSectionFactory(**{requirement: True})
    fields = {
        "api_key": api_key,
        "service_code": category.slug,
        "description": "x",
        "address_string": "Prat 1",
    }
    assert_error(post_request(client, "json", **fields), "json", 400, mentions)
    assert Incident.objects.count() == 0


# --- GET requests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_lists_a_public_incident_with_the_spec_fields(client, category, fmt):
    incident = report(category, description="Hoyo de 2 m < 3 m & profundo", address="Prat 250")
    [item] = parse(client.get(f"{BASE}requests.{fmt}"), fmt, "service_requests")
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == incident.folio
    assert item["status"] == "open"
    assert (item["service_code"], item["service_name"]) == (category.slug, category.name)
    assert item["description"] == "Hoyo de 2 m < 3 m & profundo"
    assert item["agency_responsible"] == category.responsible_actor.name
    assert (float(item["lat"]), float(item["long"]), item["address"]) == (-45.5712, -72.0685, "Prat 250")
    assert item["requested_datetime"] == timezone.localtime(incident.created_at).isoformat(timespec="seconds")
    assert item["expected_datetime"] == timezone.localtime(incident.due_at).isoformat(timespec="seconds")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (IncidentStatus.RECEIVED, "open"),
        (IncidentStatus.IN_PROGRESS, "open"),
        (IncidentStatus.WAITING_DECISION, "open"),
        (IncidentStatus.RESOLVED, "closed"),
        (IncidentStatus.CLOSED, "closed"),
        (IncidentStatus.REJECTED, "closed"),
    ],
)
def test_incident_statuses_map_to_open_or_closed(client, category, status, expected):
    incident = report(category)
    services.incident_change_status(incident_id=incident.pk, status=status, by=None)
    [item] = parse(client.get(f"{BASE}requests.json"), "json", "service_requests")
    assert item["status"] == expected


def test_status_filter_keeps_only_open_or_only_closed_requests(client, category):
    still_open = report(category)
    done = report(category)
    services.incident_change_status(incident_id=done.pk, status=IncidentStatus.RESOLVED, by=None)
    assert listed_ids(client, "json", "?status=open") == [still_open.folio]
    assert listed_ids(client, "json", "?status=closed") == [done.folio]
    assert set(listed_ids(client, "json", "?status=open,closed")) == {still_open.folio, done.folio}


def test_status_notes_show_the_latest_public_note_never_an_internal_one(client, category):
    incident = report(category)
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=None, note="Cuadrilla en camino"
    )
    services.incident_change_status(
        incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=None, note="Nota interna", public=False
    )
    [item] = parse(client.get(f"{BASE}requests.json"), "json", "service_requests")
    assert item["status_notes"] == "Cuadrilla en camino"


def test_service_code_filter_keeps_that_service_only(client, category):
    mine = report(category)
    report(SubSectionFactory())
    assert listed_ids(client, "json", f"?service_code={category.slug}") == [mine.folio]


def test_default_window_is_the_last_90_days(client, category):
    recent = report(category)
    old = report(category)
    shift_created(recent, 89)
    shift_created(old, 91)
    assert listed_ids(client, "json") == [recent.folio]


def test_start_and_end_dates_select_requested_datetimes_in_between(client, category):
    inside = report(category)
    before = report(category)
    shift_created(inside, 150)
    shift_created(before, 200)
    start = (timezone.now() - timedelta(days=170)).isoformat(timespec="seconds")
    end = (timezone.now() - timedelta(days=100)).isoformat(timespec="seconds")
    # Unencoded, as many clients send it: the "+" of the offset arrives as a space.
    query = f"?start_date={start}&end_date={end}"
    assert listed_ids(client, "json", query) == [inside.folio]


def test_service_request_ids_override_the_date_window(client, category):
    old = report(category)
    other = report(category)
    shift_created(old, 400)
    assert listed_ids(client, "json", f"?service_request_id={old.folio},{other.folio}") == [
        other.folio,
        old.folio,
    ]


def test_at_most_1000_requests_are_returned_newest_first(client, category):
    Incident.objects.bulk_create(
        Incident(folio=f"CN-2026-{n:06d}", category=category, description="x", address="Prat 1")
        for n in range(1, 1002)
    )
    shift_created(Incident.objects.get(folio="CN-2026-000001"), 1)
    ids = listed_ids(client, "json")
    assert len(ids) == 1000
    assert "CN-2026-000001" not in ids


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("?start_date=ayer", "start_date"),
        ("?end_date=2026-13-45T00:00:00Z", "end_date"),
        ("?start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "end_date"),
        ("?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 días"),
        ("?status=pending", "status"),
        ("?service_code=%3Cx%3E", "service_code"),
        ("?service_request_id=CN%00", "service_request_id"),
    ],
)
def test_bad_filters_are_a_400_error_list(client, fmt, query, mentions):
    assert_error(client.get(f"{BASE}requests.{fmt}{query}"), fmt, 400, mentions)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hidden_and_held_incidents_never_appear_in_requests(client, category, hidden_categories, fmt):
    hidden = [report(hidden_category) for hidden_category in hidden_categories]
    held = report(category)
    Incident.objects.filter(pk=held.pk).update(held_for_review=True)
    visible = report(category)
    everything = ",".join(incident.folio for incident in [*hidden, held, visible])
    assert listed_ids(client, fmt) == [visible.folio]
    assert listed_ids(client, fmt, f"?service_request_id={everything}") == [visible.folio]
    for incident in [*hidden, held]:
        assert_error(client.get(f"{BASE}requests/{incident.folio}.{fmt}"), fmt, 404, "service_request_id")
        assert client.get(f"{BASE}tokens/{incident.folio}.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_by_its_id_is_a_list_of_one(client, category, fmt):
    incident = report(category)
    [item] = parse(client.get(f"{BASE}requests/{incident.folio}.{fmt}"), fmt, "service_requests")
    assert set(item) == REQUEST_FIELDS
    assert item["service_request_id"] == incident.folio


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_id_is_404(client, fmt):
    assert_error(client.get(f"{BASE}requests/CN-2026-999999.{fmt}"), fmt, 404, "service_request_id")


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_is_the_folio(client, category, fmt):
    incident = report(category)
    response = client.get(f"{BASE}tokens/{incident.folio}.{fmt}")
    assert parse(response, fmt, "service_requests") == [
        {"service_request_id": incident.folio, "token": incident.folio}
    ]
    assert_error(client.get(f"{BASE}tokens/desconocido.{fmt}"), fmt, 404, "token")


def test_a_citizen_photo_is_offered_by_our_own_url_and_evidence_is_not(client, category):
    incident = report(category)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG")
    evidence = IncidentPhoto.objects.create(
        incident=incident,
        image=ContentFile(buffer.getvalue(), name="a.jpg"),
        thumbnail=ContentFile(buffer.getvalue(), name="b.jpg"),
        is_evidence=True,
    )
    [item] = parse(client.get(f"{BASE}requests.json"), "json", "service_requests")
    assert item["media_url"] == ""
    IncidentPhoto.objects.filter(pk=evidence.pk).update(is_evidence=False)
    [item] = parse(client.get(f"{BASE}requests.json"), "json", "service_requests")
    assert item["media_url"] == "http://testserver" + reverse(
        "portal:incident_photo", kwargs={"uid": evidence.uid}
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_reporter_identity_never_appears_in_any_get_answer(client, category, api_key, fmt):
    post_request(
        client, fmt, api_key=api_key, service_code=category.slug, description="Hoyo", **PLAZA, **IDENTITY
    )
    folio = Incident.objects.get().folio
    bodies = [
        client.get(f"{BASE}requests.{fmt}").content,
        client.get(f"{BASE}requests.{fmt}?service_request_id={folio}").content,
        client.get(f"{BASE}requests/{folio}.{fmt}").content,
        client.get(f"{BASE}tokens/{folio}.{fmt}").content,
    ]
    assert all(folio.encode() in body for body in bodies[:3])
    for body in bodies:
        text = body.decode("utf-8")
        for secret in ["Zacarías", "Ulloa", "zacarias.privado", "8765", "App vecinal"]:
            assert secret not in text


# --- other paths and methods -------------------------------------------------------------------------


def test_unknown_resource_or_format_is_a_spec_404_not_an_html_page(client):
    assert_error(client.get(f"{BASE}services.csv"), "xml", 404)
    assert_error(client.get(f"{BASE}incidentes.json"), "json", 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_method_the_resource_does_not_take_is_405(client, fmt):
    response = client.delete(f"{BASE}requests.{fmt}")
    assert_error(response, fmt, 405)
    assert response["Allow"] == "GET, HEAD, POST"
    assert_error(client.post(f"{BASE}services.{fmt}"), fmt, 405)


# --- keys: command and admin -------------------------------------------------------------------------


def _issue_with_command(name: str) -> str:
    out = io.StringIO()
    call_command("open311_key", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_command_prints_a_key_once_and_stores_only_its_hash_and_prefix(client, category):
    key = _issue_with_command("Municipalidad digital")
    integrator = IntegratorKey.objects.get(name="Municipalidad digital")
    assert integrator.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert integrator.prefix == key[:8]
    assert key not in {integrator.name, integrator.key_hash, integrator.prefix}
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert post_request(client, "json", **fields).status_code == 200


def test_command_revoke_makes_the_key_403(client, category):
    key = _issue_with_command("Integrador que se va")
    call_command("open311_key", "--revoke", key[:8], stdout=io.StringIO())
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert_error(post_request(client, "json", **fields), "json", 403)


def test_command_revoke_of_an_unknown_prefix_fails_and_changes_nothing(api_key):
    with pytest.raises(CommandError):
        call_command("open311_key", "--revoke", "zzzzzzzz", stdout=io.StringIO())
    assert IntegratorKey.objects.get().active is True


def test_admin_creates_a_key_and_shows_it_once_in_a_message(client, category):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    add_url = reverse("wagtailsnippets_workflows_integratorkey:add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, {"name": "Junta de vecinos", "active": "on"})
    assert response.status_code == 302
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    # Wagtail appends an "Editar" button to the message: the key is the word after the colon.
    key = re.search(r"mostrar: ([A-Za-z0-9]+)", message).group(1)
    integrator = IntegratorKey.objects.get(name="Junta de vecinos")
    assert integrator.key_hash == hashlib.sha256(key.encode()).hexdigest()
    fields = {"api_key": key, "service_code": category.slug, "description": "x", **PLAZA}
    assert post_request(client, "json", **fields).status_code == 200


def test_admin_revokes_a_key_by_unticking_active(client, category, api_key):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    integrator = IntegratorKey.objects.get()
    response = client.post(
        reverse("wagtailsnippets_workflows_integratorkey:edit", args=[integrator.pk]),
        {"name": integrator.name},
    )
    assert response.status_code == 302
    fields = {"api_key": api_key, "service_code": category.slug, "description": "x", **PLAZA}
    assert_error(post_request(client, "json", **fields), "json", 403)


def test_admin_lists_keys_by_name_and_prefix_never_by_hash(client, api_key):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_workflows_integratorkey:list"))
    integrator = IntegratorKey.objects.get()
    assert response.status_code == 200
    assert integrator.prefix in response.content.decode()
    assert integrator.key_hash not in response.content.decode()
    assert api_key not in response.content.decode()
