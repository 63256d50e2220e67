"""Neighbourhoods drawn in the Wagtail admin: saving through the real snippet views, refusing bad polygons."""

import html
import json
import re

import pytest
from django.urls import reverse

from cms_content.models import Neighbourhood
from tests.factories.cms_content import NeighbourhoodFactory, square

PLAZA_DE_ARMAS = (-45.5712, -72.0685)
# A free spot inside the comuna, well away from the squares the tests put around the plaza.
SOUTH_OF_TOWN = (-45.62, -72.05)
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[-72.07, -45.60], [-72.06, -45.59], [-72.07, -45.59], [-72.06, -45.60], [-72.07, -45.60]]
    ],
}
LOCAL_ASSETS = [
    "/static/js_lib_leaflet/leaflet.js",
    "/static/js_lib_leaflet/leaflet.css",
    "/static/cms_content/vendor/leaflet-geoman-free-2.20.2/leaflet-geoman.min.js",
    "/static/cms_content/vendor/leaflet-geoman-free-2.20.2/leaflet-geoman.css",
    "/static/cms_content/js/polygon-field.js",
    "/static/cms_content/css/polygon-field.css",
]


def _add_url():
    return reverse("wagtailsnippets_cms_content_neighbourhood:add")


def _edit_url(neighbourhood):
    return reverse("wagtailsnippets_cms_content_neighbourhood:edit", args=[neighbourhood.pk])


def _form(boundary, *, name="Villa Nueva", slug="villa-nueva", active=True):
    data = {
        "name": name,
        "slug": slug,
        "boundary": boundary if isinstance(boundary, str) else json.dumps(boundary),
    }
    if active:
        data["active"] = "on"
    return data


def _boundary_errors(response) -> str:
    """The text of the boundary field's error block, as the editor reads it."""
    page = response.content.decode()
    match = re.search(r'id="panel-child-boundary-errors">(.*?)</div>', page, re.S)
    assert match, "the boundary field shows no error block"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def centro(db):
    return NeighbourhoodFactory(slug="centro", name="Centro", boundary=square(*PLAZA_DE_ARMAS))


@pytest.fixture(params=["add", "edit"])
def submit_boundary(request, admin_client, centro):
    """Post a boundary through the add or the edit view; returns the response and a "nothing saved" check.

    On the add view nothing may be created; on the edit view the neighbourhood must stay as it was.
    """
    existing = NeighbourhoodFactory(
        slug="la-loma", name="La Loma", boundary=square(*SOUTH_OF_TOWN, half=0.002)
    )

    def submit(boundary):
        if request.param == "add":
            response = admin_client.post(_add_url(), _form(boundary))
        else:
            response = admin_client.post(_edit_url(existing), _form(boundary, name="La Loma", slug="la-loma"))

        def nothing_saved():
            assert not Neighbourhood.objects.filter(slug="villa-nueva").exists()
            existing_now = Neighbourhood.objects.get(pk=existing.pk)
            assert existing_now.boundary == square(*SOUTH_OF_TOWN, half=0.002)
            assert Neighbourhood.objects.count() == 2

        return response, nothing_saved

    return submit


@pytest.mark.django_db
def test_editor_creates_a_neighbourhood_through_the_snippet_add_page(admin_client, centro):
    boundary = square(*SOUTH_OF_TOWN)

    response = admin_client.post(_add_url(), _form(boundary))

    assert response.status_code == 302
    created = Neighbourhood.objects.get(slug="villa-nueva")
    assert (created.name, created.boundary, created.active) == ("Villa Nueva", boundary, True)


@pytest.mark.django_db
def test_editor_changes_a_neighbourhoods_boundary_through_the_snippet_edit_page(admin_client, centro):
    moved = square(*PLAZA_DE_ARMAS, half=0.003)

    response = admin_client.post(_edit_url(centro), _form(moved, name="Centro", slug="centro"))

    assert response.status_code == 302
    centro.refresh_from_db()
    assert centro.boundary == moved


@pytest.mark.django_db
def test_a_neighbourhood_sharing_an_edge_with_another_is_saved(admin_client, centro):
    lat, lon = PLAZA_DE_ARMAS
    # The square east of Centro's: its west edge is Centro's east edge (lon + 0.004).
    east = square(lat, lon + 0.008)

    response = admin_client.post(_add_url(), _form(east))

    assert response.status_code == 302
    assert Neighbourhood.objects.filter(slug="villa-nueva").exists()


@pytest.mark.django_db
def test_an_inactive_neighbourhood_may_overlap_an_active_one(admin_client, centro):
    response = admin_client.post(_add_url(), _form(square(*PLAZA_DE_ARMAS, half=0.002), active=False))

    assert response.status_code == 302
    assert Neighbourhood.objects.get(slug="villa-nueva").active is False


@pytest.mark.django_db
def test_invalid_json_is_refused_with_a_field_error(submit_boundary):
    response, nothing_saved = submit_boundary('{"type": "Polygon", "coordinates": [[[-72.06, -45.62')

    assert response.status_code == 200
    assert "JSON válido" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_geojson_that_is_not_a_polygon_is_refused(submit_boundary):
    response, nothing_saved = submit_boundary({"type": "Point", "coordinates": [-72.05, -45.62]})

    assert response.status_code == 200
    assert "El límite debe ser un polígono GeoJSON" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_self_intersecting_bow_tie_polygon_is_refused(submit_boundary):
    response, nothing_saved = submit_boundary(BOW_TIE)

    assert response.status_code == 200
    assert "se cruza consigo mismo" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_coordinates_out_of_range_are_refused(submit_boundary):
    out_of_range = {
        "type": "Polygon",
        "coordinates": [[[200, 95], [201, 95], [201, 96], [200, 96], [200, 95]]],
    }

    response, nothing_saved = submit_boundary(out_of_range)

    assert response.status_code == 200
    assert "dentro de la comuna de Coyhaique" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_polygon_outside_the_comuna_is_refused(submit_boundary):
    santiago = square(-33.4372, -70.6506)

    response, nothing_saved = submit_boundary(santiago)

    assert response.status_code == 200
    assert "dentro de la comuna de Coyhaique" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_polygon_overlapping_another_active_neighbourhood_is_refused_naming_it(submit_boundary):
    over_centro = square(PLAZA_DE_ARMAS[0], PLAZA_DE_ARMAS[1] + 0.006)

    response, nothing_saved = submit_boundary(over_centro)

    assert response.status_code == 200
    assert "El polígono se superpone con el barrio «Centro»." in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_empty_boundary_is_refused_as_required(submit_boundary):
    response, nothing_saved = submit_boundary("")

    assert response.status_code == 200
    assert "Este campo es necesario." in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_deeply_nested_json_is_refused_without_a_server_error(submit_boundary):
    response, nothing_saved = submit_boundary("[" * 5000 + "]" * 5000)

    assert response.status_code == 200
    assert "JSON válido" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_number_too_long_to_read_is_refused_without_a_server_error(submit_boundary):
    response, nothing_saved = submit_boundary("[" + "9" * 5000 + "]")

    assert response.status_code == 200
    assert "JSON válido" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # shapely reading the NaN
def test_not_a_number_coordinates_are_refused(submit_boundary):
    # Python's json reads NaN (PostgreSQL would refuse it in a JSON column).
    nan_square = (
        '{"type": "Polygon", "coordinates": '
        "[[[-72.05, -45.62], [NaN, -45.62], [-72.04, -45.61], [-72.05, -45.61], [-72.05, -45.62]]]}"
    )

    response, nothing_saved = submit_boundary(nan_square)

    assert response.status_code == 200
    assert "El polígono no es válido" in _boundary_errors(response)
    nothing_saved()


@pytest.mark.django_db
def test_edit_page_loads_the_map_editor_from_this_server_only(admin_client, centro):
    response = admin_client.get(_edit_url(centro))

    page = response.content.decode()
    assert response.status_code == 200
    for asset in LOCAL_ASSETS:
        assert asset in page
    assert 'data-controller="polygon-field"' in page
    loaded_from_elsewhere = re.findall(
        r'<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]*)"', page
    )
    assert loaded_from_elsewhere == []
    widget = re.search(r'<div class="polygon-field">.*?id="id_boundary_hint".*?</div>', page, re.S).group(0)
    assert "http" not in widget
    assert "unpkg" not in page


@pytest.mark.django_db
def test_edit_page_shows_the_current_polygon_in_the_textarea(admin_client, centro):
    response = admin_client.get(_edit_url(centro))

    textarea = re.search(r'<textarea name="boundary"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert json.loads(html.unescape(textarea.group(1))) == square(*PLAZA_DE_ARMAS)


@pytest.mark.django_db
def test_add_page_starts_with_an_empty_textarea(admin_client):
    response = admin_client.get(_add_url())

    textarea = re.search(r'<textarea name="boundary"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert textarea.group(1).strip() == ""


@pytest.mark.django_db
def test_edit_page_outlines_the_other_active_neighbourhoods_but_not_the_one_edited(admin_client, centro):
    NeighbourhoodFactory(name="La Loma", boundary=square(*SOUTH_OF_TOWN))
    NeighbourhoodFactory(name="Antiguo Sector", boundary=square(-45.64, -72.05), active=False)

    response = admin_client.get(_edit_url(centro))

    attribute = re.search(r'data-polygon-field-outlines-value="([^"]*)"', response.content.decode())
    outlines = json.loads(html.unescape(attribute.group(1)))
    assert [outline["name"] for outline in outlines] == ["La Loma"]
    assert outlines[0]["geometry"] == square(*SOUTH_OF_TOWN)


@pytest.mark.django_db
def test_map_gets_no_tile_url_when_none_is_configured(admin_client, centro, settings):
    settings.MAP_TILE_URL = ""

    response = admin_client.get(_edit_url(centro))

    assert 'data-polygon-field-tile-url-value=""' in response.content.decode()


@pytest.mark.django_db
def test_map_gets_the_configured_tile_url(admin_client, centro, settings):
    settings.MAP_TILE_URL = "/tiles/{z}/{x}/{y}.png"

    response = admin_client.get(_edit_url(centro))

    assert 'data-polygon-field-tile-url-value="/tiles/{z}/{x}/{y}.png"' in response.content.decode()
