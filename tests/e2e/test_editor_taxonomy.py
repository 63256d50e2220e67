"""An editor adds a sub-section in the Wagtail admin and citizens can choose it in the report form."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def log_in(page, e2e_data):
    page.goto("/cms/login/")
    page.fill("#id_username", e2e_data["editor"])
    page.fill("#id_password", e2e_data["password"])
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/cms/$"))


def test_new_sub_section_published_in_the_admin_appears_in_the_report_form(page, e2e_data, django_db_blocker):
    from cms_content.models import IncidentCategory

    with django_db_blocker.unblock():
        section = IncidentCategory.objects.get(slug="animales")
    log_in(page, e2e_data)
    page.goto("/cms/snippets/cms_content/incidentcategory/add/")
    page.select_option("#id_parent", str(section.pk))
    page.fill("#id_name", "Caballos sueltos en la calle")
    page.fill("#id_slug", "caballos-sueltos")
    page.fill("#id_description", "Caballos o vacas sueltos que ponen en riesgo el tránsito.")
    more_actions = "footer [aria-label='Más acciones'], footer [data-w-dropdown-target='toggle']"
    page.locator(more_actions).first.click()
    page.get_by_role("button", name=re.compile("Publicar")).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        re.compile("publicad|creado", re.I)
    )

    page.goto(f"/reportar/{section.slug}/")
    tile = page.get_by_role("link", name=re.compile("Caballos sueltos en la calle"))
    expect(tile).to_be_visible()
    tile.click()
    expect(page.get_by_role("heading", name="Caballos sueltos en la calle")).to_be_visible()
    assert page.outside_requests == []
