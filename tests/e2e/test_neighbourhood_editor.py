"""The neighbourhood polygon editor in a real browser: Leaflet + geoman served locally, drawing saved."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# South of the city's neighbourhoods, still inside the comuna: room for a new one.
FREE_SPOT = (-45.63, -72.07)
SET_VIEW = """([lat, lon]) => {
    const field = document.getElementById("id_boundary");
    const controller = window.wagtail.app.getControllerForElementAndIdentifier(field, "polygon-field");
    controller.map.setView([lat, lon], 15, { animate: false });
}"""


def _log_in(page, e2e_data):
    page.goto("/cms/login/")
    page.fill("#id_username", e2e_data["editor"])
    page.fill("#id_password", e2e_data["password"])
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/cms/$"))


def _save(page):
    page.locator("form button[type=submit]", has_text="Guardar").first.click()
    expect(page).to_have_url(re.compile(r"/cms/snippets/cms_content/neighbourhood/$"))


def _centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.fixture
def valle_hermoso(e2e_data, django_db_blocker):
    """Valle Hermoso's row; its boundary is put back afterwards for the other browser tests."""
    from cms_content.models import Neighbourhood

    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug="valle-hermoso")
    original = neighbourhood.boundary
    yield neighbourhood
    with django_db_blocker.unblock():
        Neighbourhood.objects.filter(pk=neighbourhood.pk).update(boundary=original)


@pytest.fixture
def no_new_neighbourhood(e2e_data, django_db_blocker):
    from cms_content.models import Neighbourhood

    yield
    with django_db_blocker.unblock():
        Neighbourhood.objects.filter(slug="villa-del-sur").delete()


def test_editor_moves_a_vertex_of_a_neighbourhood_on_the_map(
    page, e2e_data, valle_hermoso, django_db_blocker
):
    from cms_content.geo import validate_boundary
    from cms_content.models import Neighbourhood

    _log_in(page, e2e_data)
    page.goto(f"/cms/snippets/cms_content/neighbourhood/edit/{valle_hermoso.pk}/")

    expect(page.locator("#id_boundary_map.leaflet-container")).to_be_visible()
    expect(page.locator("#id_boundary_map path.leaflet-interactive")).to_be_visible()  # the polygon
    # The GeoJSON stays a labelled textbox for keyboard and screen-reader users.
    expect(page.get_by_role("textbox", name=re.compile(r"^Límite"))).to_be_visible()
    expect(page.get_by_role("region", name="Mapa para dibujar el límite")).to_be_visible()
    before = json.loads(page.locator("#id_boundary").input_value())

    page.locator("#id_boundary_map .leaflet-pm-icon-edit").click()
    vertices = page.locator("#id_boundary_map .marker-icon:not(.marker-icon-middle)")
    expect(vertices).to_have_count(4)
    corners = [_centre(vertices.nth(i).bounding_box()) for i in range(4)]
    middle_x = sum(x for x, _ in corners) / 4
    middle_y = sum(y for _, y in corners) / 4
    start_x, start_y = corners[0]
    # A third of the way to the middle: the rectangle shrinks, so it stays simple and overlaps nobody.
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + (middle_x - start_x) / 3, start_y + (middle_y - start_y) / 3, steps=8)
    page.mouse.up()

    expect(page.locator("#id_boundary")).not_to_have_value(json.dumps(before))
    drawn = json.loads(page.locator("#id_boundary").input_value())
    assert drawn["type"] == "Polygon" and drawn != before
    _save(page)

    with django_db_blocker.unblock():
        saved = Neighbourhood.objects.get(pk=valle_hermoso.pk)
    assert saved.boundary == drawn
    assert saved.boundary != valle_hermoso.boundary
    validate_boundary(saved.boundary)
    assert page.outside_requests == []


def test_editor_draws_a_new_neighbourhood_on_the_add_page(
    page, e2e_data, no_new_neighbourhood, django_db_blocker
):
    from cms_content.geo import validate_boundary
    from cms_content.models import Neighbourhood

    _log_in(page, e2e_data)
    page.goto("/cms/snippets/cms_content/neighbourhood/add/")
    page.fill("#id_name", "Villa del Sur")
    page.fill("#id_slug", "villa-del-sur")
    expect(page.locator("#id_boundary_map.leaflet-container")).to_be_visible()
    expect(page.locator("#id_boundary")).to_have_value("")
    # Move the map off the existing neighbourhoods (an editor would pan there by hand).
    page.evaluate(SET_VIEW, list(FREE_SPOT))

    page.locator("#id_boundary_map .leaflet-pm-icon-polygon").click()
    box = page.locator("#id_boundary_map").bounding_box()
    x, y = _centre(box)
    for dx, dy in [(-80, -60), (80, -60), (100, 60), (-60, 70)]:
        page.mouse.click(x + dx, y + dy)
    page.mouse.click(x - 80, y - 60)  # back on the first vertex closes the polygon

    expect(page.locator("#id_boundary")).to_have_value(re.compile(r'"type":\s*"Polygon"'))
    drawn = json.loads(page.locator("#id_boundary").input_value())
    assert len(drawn["coordinates"][0]) == 5  # four corners, the ring closed
    _save(page)

    with django_db_blocker.unblock():
        created = Neighbourhood.objects.get(slug="villa-del-sur")
    assert created.boundary == drawn
    validate_boundary(created.boundary)
    lon, lat = created.boundary["coordinates"][0][0]
    assert abs(lat - FREE_SPOT[0]) < 0.01 and abs(lon - FREE_SPOT[1]) < 0.01
    assert page.outside_requests == []


def test_geojson_typed_by_hand_is_drawn_on_the_map(page, e2e_data):
    _log_in(page, e2e_data)
    page.goto("/cms/snippets/cms_content/neighbourhood/add/")
    polygon = page.locator("#id_boundary_map path.leaflet-interactive")
    expect(page.locator("#id_boundary_map.leaflet-container")).to_be_visible()
    expect(polygon).to_have_count(0)

    lat, lon = FREE_SPOT
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    page.get_by_role("textbox", name=re.compile(r"^Límite")).fill(
        json.dumps({"type": "Polygon", "coordinates": [ring]})
    )

    expect(polygon).to_have_count(1)
    expect(polygon).to_be_visible()

    page.get_by_role("textbox", name=re.compile(r"^Límite")).fill('{"type": "Polygon", "coordinates": [[')

    expect(page.locator("#id_boundary_status")).to_contain_text("no es un polígono GeoJSON válido")
    expect(polygon).to_have_count(1)  # the last valid polygon stays
    assert page.outside_requests == []
