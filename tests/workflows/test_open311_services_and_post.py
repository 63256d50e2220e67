"""Open311 GeoReport v2 at /open311/v2/: discovery, services and POST requests, in XML and JSON."""

import pytest
from django.test import Client

from tests.factories.cms_content import SubSectionFactory
from tests.workflows import open311_helpers
from tests.workflows.open311_helpers import (
    ATTRIBUTE_FIELDS,
    BASE,
    FORMATS,
    IDENTITY,
    PLAZA,
    assert_error,
    parse,
    post_request,
)
from workflows.models import Incident, IncidentEvent, IntegratorKey, ReportChannel

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.open311_urls")]

# The shared fixtures, bound in this module so that pytest finds them.
api_key = open311_helpers.api_key
category = open311_helpers.category
hidden_categories = open311_helpers.hidden_categories


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
