"""Open311 GeoReport v2 at /open311/v2/: GET requests and tokens, privacy, other paths and methods."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories.cms_content import SubSectionFactory
from tests.workflows import open311_helpers
from tests.workflows.open311_helpers import (
    BASE,
    FORMATS,
    IDENTITY,
    PLAZA,
    REQUEST_FIELDS,
    assert_error,
    listed_ids,
    parse,
    post_request,
    report,
    shift_created,
)
from workflows import services
from workflows.models import Incident, IncidentPhoto, IncidentStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.open311_urls")]

# The shared fixtures, bound in this module so that pytest finds them.
api_key = open311_helpers.api_key
category = open311_helpers.category
hidden_categories = open311_helpers.hidden_categories


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
