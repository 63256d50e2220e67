"""The actor directory in a real browser: search, an actor's page with its number and procedures, the maps."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FIRE_TALK = "Charla de prevención de incendios en el hogar"


@pytest.fixture(scope="module")
def fire_brigade_talk(e2e_data, django_db_blocker):
    """A procedure in the fire brigade's catalogue (the reference data lists none), committed for daphne."""
    from cms_content.models import Actor, ActorService

    with django_db_blocker.unblock():
        service = ActorService.objects.create(
            actor=Actor.objects.get(slug="bomberos-coyhaique"),
            name=FIRE_TALK,
            requirements="Reunir al menos diez vecinos.",
            where_when="En su junta de vecinos, a convenir.",
        )
    yield service
    with django_db_blocker.unblock():
        service.delete()


def test_citizen_searches_the_directory_and_opens_the_fire_brigade(page, fire_brigade_talk):
    page.goto("/directorio/")
    expect(page.get_by_role("heading", name="Directorio de instituciones", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Emergencias", level=2)).to_be_visible()

    page.get_by_label("Buscar una institución o un trámite").fill("incendios hogar")
    page.get_by_role("button", name="Buscar").click()

    expect(page).to_have_url(re.compile(r"/directorio/\?q=incendios\+hogar$"))
    expect(page.get_by_role("status")).to_contain_text("Encontramos 1 institución")
    page.locator(".actor-list").get_by_role("link", name="Cuerpo de Bomberos de Coyhaique").click()

    expect(page).to_have_url(re.compile(r"/directorio/bomberos-coyhaique/$"))
    expect(page.locator(".emergency-box a[href='tel:132']")).to_have_text("132")
    expect(page.get_by_role("heading", name=FIRE_TALK)).to_be_visible()
    expect(page.get_by_text("Reunir al menos diez vecinos.")).to_be_visible()
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert page.outside_requests == []


def test_directory_map_shows_pins_that_open_the_actor_page(page, e2e_data):
    page.goto("/directorio/")
    map_region = page.get_by_role("region", name="Mapa de las instituciones")
    expect(map_region.locator(".leaflet-marker-icon").first).to_be_visible()
    # No tile server is configured in tests: the map must not ask any host for tiles.
    expect(map_region.locator(".leaflet-tile")).to_have_count(0)

    # Pins of neighbouring offices overlap at this zoom; the keyboard reaches each one (Leaflet markers
    # are focusable buttons), which is also how a screen-reader user opens them.
    pin = map_region.get_by_role("button", name="Cuerpo de Bomberos de Coyhaique", exact=True)
    pin.focus()
    pin.press("Enter")
    # Also by keyboard: a mouse click could land while the popup is still panning into view.
    link = map_region.locator(".leaflet-popup").get_by_role("link", name="Cuerpo de Bomberos de Coyhaique")
    link.focus()
    link.press("Enter")

    expect(page).to_have_url(re.compile(r"/directorio/bomberos-coyhaique/$"))
    assert page.outside_requests == []


def test_home_button_leads_to_the_directory(page, e2e_data):
    page.goto("/")
    page.get_by_role("link", name="Directorio de instituciones").click()
    expect(page).to_have_url(re.compile(r"/directorio/$"))
    expect(page.get_by_role("link", name="Jornadas de atención")).to_be_visible()
    assert page.outside_requests == []
