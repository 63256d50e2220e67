"""Read-only reference data API: JSON shapes, languages, caching headers and ETags."""

import pytest

pytestmark = pytest.mark.django_db


def test_taxonomy_lists_sections_with_their_sub_sections_in_spanish(client, reference_data):
    sections = client.get("/api/taxonomy/").json()
    emergencies = next(s for s in sections if s["slug"] == "emergencias")
    assert emergencies["name"] == "Emergencias"
    child = emergencies["children"][0]
    assert set(child) >= {
        "slug",
        "name",
        "emergency_notice",
        "emergency_phone",
        "blocks_form",
        "sensitive",
        "requires_photo",
        "duplicate_radius_m",
        "responsible_actor",
    }


def test_taxonomy_answers_in_english_when_asked(client, reference_data):
    sections = client.get("/api/taxonomy/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert next(s for s in sections if s["slug"] == "emergencias")["name"] == "Emergencies"


def test_inactive_sub_sections_are_not_listed(client, reference_data):
    from cms_content.models import IncidentCategory

    category = IncidentCategory.objects.filter(parent__isnull=False).first()
    category.active = False
    category.save()
    slugs = {c["slug"] for s in client.get("/api/taxonomy/").json() for c in s["children"]}
    assert category.slug not in slugs


def test_etag_gives_304_until_the_content_changes(client, reference_data):
    first = client.get("/api/actors/")
    assert first.status_code == 200
    assert "max-age=300" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/api/actors/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    from cms_content.models import Actor

    actor = Actor.objects.get(slug="bomberos-coyhaique")
    actor.phones = "132 / +56 67 2 000 000"
    actor.save()
    changed = client.get("/api/actors/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_actors_carry_location_and_service_catalogue(client, reference_data):
    actors = {a["slug"]: a for a in client.get("/api/actors/").json()}
    bomberos = actors["bomberos-coyhaique"]
    assert bomberos["emergency_phone"] == "132"
    assert -46 < bomberos["location"]["lat"] < -45
    municipality = actors["municipalidad-coyhaique"]
    assert municipality["services"] and {"name", "requirements", "mode"} <= set(municipality["services"][0])


def test_neighbourhoods_are_a_geojson_feature_collection(client, reference_data):
    body = client.get("/api/neighbourhoods/").json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert {"slug", "name"} <= set(feature["properties"])


def test_emergency_numbers_list_each_number_once(client, reference_data):
    numbers = [row["number"] for row in client.get("/api/emergency-numbers/").json()]
    assert len(numbers) == len(set(numbers))
    assert {"131", "132", "133"} <= set(numbers)


def test_reference_api_is_read_only(client, reference_data):
    assert client.post("/api/taxonomy/", {}).status_code == 405
