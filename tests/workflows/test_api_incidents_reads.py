"""The incidents REST API: public list and detail, privacy of contacts, and supporters."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories.cms_content import NeighbourhoodFactory, SectionFactory, SubSectionFactory
from tests.workflows import api_incidents_helpers
from tests.workflows.api_incidents_helpers import (
    LIST_URL,
    PLAZA,
    _detail_url,
    _incident,
    _post,
    _report,
    _supporters_url,
)
from workflows import services
from workflows.models import Incident, IncidentEventKind, IncidentStatus, IncidentSupporter

# The shared fixtures (one autouse), bound in this module so that pytest finds them.
_no_throttling = api_incidents_helpers._no_throttling
api = api_incidents_helpers.api
category = api_incidents_helpers.category


# --- Public list ------------------------------------------------------------------------------------


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
