"""Constants, helpers and fixtures shared by the Open311 modules (test_open311_*.py)."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from tests.factories.cms_content import SectionFactory, SubSectionFactory
from workflows import services
from workflows.models import Incident
from workflows.open311.services import integrator_key_issue

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
