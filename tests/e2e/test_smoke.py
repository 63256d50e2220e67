"""Smoke test in a real browser: home page in Spanish, the language switch, and logging into /cms/."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_home_page_opens_in_spanish_and_switches_to_english(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="¿Qué quiere reportar?")).to_be_visible()
    expect(page.locator(".emergency-bar")).to_contain_text("133")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="What do you want to report?")).to_be_visible()
    assert page.outside_requests == []


def test_editor_logs_into_the_wagtail_admin(page, e2e_data):
    page.goto("/cms/")
    expect(page).to_have_url(re.compile(r"/cms/login/"))
    page.fill("#id_username", e2e_data["editor"])
    page.fill("#id_password", e2e_data["password"])
    page.locator("form button[type=submit], form input[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/cms/$"))
    expect(page.get_by_role("heading", name="CooperaNet Coyhaique", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Plataforma")).to_be_attached()
    assert page.outside_requests == []


def test_wrong_password_is_refused_with_a_message_in_spanish(page, e2e_data):
    page.goto("/cms/login/")
    page.fill("#id_username", e2e_data["editor"])
    page.fill("#id_password", "incorrecta")
    page.locator("form button[type=submit], form input[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/cms/login/"))
    expect(page.locator("body")).to_contain_text("contraseña")


def test_actor_edit_page_loads_leaflet_locally_and_shows_the_map(page, e2e_data, django_db_blocker):
    from cms_content.models import Actor

    with django_db_blocker.unblock():
        actor_id = Actor.objects.get(slug="bomberos-coyhaique").pk
    page.goto("/cms/login/")
    page.fill("#id_username", e2e_data["editor"])
    page.fill("#id_password", e2e_data["password"])
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/cms/$"))

    page.goto(f"/cms/snippets/cms_content/actor/edit/{actor_id}/")
    expect(page.locator("input#id_name")).to_have_value(re.compile("Bomberos"))
    page.get_by_role("tab", name="Contacto y ubicación").click()
    expect(page.locator(".leaflet-container").first).to_be_visible()
    assert page.outside_requests == []
