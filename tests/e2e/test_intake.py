"""The front desk in a browser, by keyboard only: enter a phone report, get its receipt, find it again."""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e
OFFICER = "oficina-e2e"


@pytest.fixture
def scanned_letter(tmp_path):
    from PIL import Image

    path = tmp_path / "carta.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), (250, 250, 245)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def officer_page(page, django_db_blocker):
    """The page, signed in through /ingresar/ as a front-desk officer created for these tests."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        officer, _created = get_user_model().objects.get_or_create(username=OFFICER)
        officer.set_password(E2E_PASSWORD)
        officer.save()
        officer.groups.add(Group.objects.get(name="front_desk"))
    page.goto("/ingresar/?next=/oficina/")
    page.get_by_label("Usuario").fill(OFFICER)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(r"/oficina/$"))
    return page


def tab_to(page, selector):
    page.keyboard.press("Tab")
    expect(page.locator(selector)).to_be_focused()


def test_officer_enters_a_phone_report_by_keyboard_prints_its_receipt_and_finds_it(
    officer_page, scanned_letter, django_db_blocker
):
    page = officer_page
    # The page starts on the channel; arrows choose among the radios.
    expect(page.locator("input[name=channel][value=front_desk]")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=channel][value=phone]")).to_be_checked()

    tab_to(page, "#intake-citizen-q")
    tab_to(page, "#intake-citizen-go")
    tab_to(page, "input[name=is_anonymous]")
    tab_to(page, "input[name=contact_name]")
    page.keyboard.type("Rosa Millán")
    # Enter in a field moves on; it does not send half a form.
    page.keyboard.press("Enter")
    expect(page.locator("input[name=contact_rut]")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/oficina/$"))
    page.keyboard.type("12.345.678-5")
    tab_to(page, "input[name=contact_phone]")
    page.keyboard.type("+56 9 8765 4321")
    tab_to(page, "input[name=contact_email]")
    page.keyboard.type("rosa@example.cl")

    tab_to(page, "select[name=category]")
    page.keyboard.type("Luminaria apa")
    expect(page.locator("select[name=category]")).to_have_value("luminaria-apagada")

    tab_to(page, "input[name=address]")
    page.keyboard.type("Baquedano 120, frente a la plaza")
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("La luminaria del pasaje lleva una semana apagada; la vecina llamó por teléfono.")
    tab_to(page, "input[name=photos]")
    # The file input is reached by keyboard (focus checked above); the OS file dialog that Space opens is
    # not reliably reported by headless chromium, so the file is set on the focused input directly.
    expect(page.locator("input[name=photos]")).to_be_focused()
    page.locator("input[name=photos]").set_input_files(scanned_letter)
    tab_to(page, "#intake-submit")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/oficina/comprobante/CN-\d{4}-\d{6}/$"))
    folio = page.locator("#receipt-folio").inner_text().strip()
    expect(page.locator("#receipt-qr svg path")).to_have_count(1)
    expect(page.locator("#receipt-tracking-url")).to_contain_text(f"/seguimiento/{folio}/?s=")
    expect(page.get_by_role("button", name="Imprimir")).to_be_focused()

    page.get_by_role("link", name="Buscar un reporte").press("Enter")
    expect(page.locator("#intake-q")).to_be_focused()
    page.keyboard.type("12345678-5")
    page.keyboard.press("Enter")
    expect(page.locator("#intake-results")).to_contain_text(folio)
    expect(page.locator("#intake-results")).to_contain_text("Recibido")
    assert page.outside_requests == []

    from workflows.models import Incident

    with django_db_blocker.unblock():
        incident = Incident.objects.get(folio=folio)
        assert (incident.channel, incident.contact_rut, incident.reporter_id) == ("phone", "12345678-5", None)
        assert incident.photos.count() == 1


def test_find_citizen_fills_in_the_details_of_an_earlier_report(officer_page, django_db_blocker):
    from cms_content.models import IncidentCategory
    from workflows import services

    with django_db_blocker.unblock():
        category = IncidentCategory.objects.reportable().filter(sensitive=False, public=True).first()
        services.incident_report(
            category=category,
            description="Reporte anterior",
            channel="phone",
            contact_name="Hernán Oyarzo",
            contact_rut="7654321-6",
            contact_phone="+56 9 4444 5555",
            address="Errázuriz 300",
        )
    page = officer_page
    tab_to(page, "#intake-citizen-q")
    page.keyboard.type("7.654.321-6")
    page.keyboard.press("Enter")
    expect(page.locator("#intake-citizen-results button")).to_have_count(1)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#intake-citizen-results button")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("input[name=contact_name]")).to_have_value("Hernán Oyarzo")
    expect(page.locator("input[name=contact_phone]")).to_have_value("+56 9 4444 5555")
    expect(page.locator("select[name=category]")).to_be_focused()
    assert page.outside_requests == []


def test_an_emergency_category_shows_the_number_to_call_but_can_still_be_recorded(officer_page):
    page = officer_page
    page.locator("select[name=category]").focus()
    page.keyboard.type("Incendio en casa")
    expect(page.locator("#intake-call")).to_be_visible()
    expect(page.locator("#intake-call-number")).to_have_text("132")
    expect(page.locator("#intake-call-note")).to_be_visible()
    expect(page.locator("#intake-submit")).to_be_enabled()
    assert page.outside_requests == []
