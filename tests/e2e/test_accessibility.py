"""axe-core (vendored, run in the browser) finds no serious or critical accessibility violation."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def serious_violations(page) -> list[str]:
    # Evaluated over the DevTools protocol: an injected <script> would be an inline script, which the
    # Content-Security-Policy of citizen pages forbids (as it should).
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def public_incident_folio(django_db_blocker):
    from cms_content.models import IncidentCategory
    from workflows import services

    with django_db_blocker.unblock():
        category = IncidentCategory.objects.reportable().filter(sensitive=False, blocks_form=False).first()
        return services.incident_report(
            category=category, description="Basural en la esquina", address="Prat 300"
        ).folio


@pytest.mark.parametrize(
    "path", ["/", "/reportar/", "/reportar/basura-escombros/", "/seguimiento/", "/ayuda/", "/directorio/"]
)
def test_public_pages_have_no_serious_violations(page, path):
    page.goto(path)
    assert serious_violations(page) == []


def test_report_form_with_errors_has_no_serious_violations(page):
    page.goto("/reportar/basura-escombros/")
    page.locator(".tile-link").first.click()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enviar reporte").click()
    page.get_by_role("button", name="Enviar reporte").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert serious_violations(page) == []


def test_tracking_page_has_no_serious_violations(page, public_incident_folio):
    page.goto(f"/seguimiento/{public_incident_folio}/")
    expect(page.locator("#incident-status")).to_be_visible()
    assert serious_violations(page) == []


def test_large_text_and_high_contrast_stay_accessible(page):
    page.goto("/")
    page.get_by_role("button", name="Letra grande").click()
    page.get_by_role("button", name="Alto contraste").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text.*high-contrast"))
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 24
    assert serious_violations(page) == []


def test_front_desk_pages_have_no_serious_violations(page, django_db_blocker, public_incident_folio):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tests.e2e.conftest import E2E_PASSWORD

    with django_db_blocker.unblock():
        officer, _created = get_user_model().objects.get_or_create(username="oficina-axe")
        officer.set_password(E2E_PASSWORD)
        officer.save()
        officer.groups.add(Group.objects.get(name="front_desk"))
    page.goto("/ingresar/?next=/oficina/")
    page.get_by_label("Usuario").fill("oficina-axe")
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(r"/oficina/$"))
    assert serious_violations(page) == []
    page.goto(f"/oficina/buscar/?q={public_incident_folio}")
    assert serious_violations(page) == []
    page.goto(f"/oficina/comprobante/{public_incident_folio}/")
    assert serious_violations(page) == []
