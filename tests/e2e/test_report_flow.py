"""The whole citizen flow in a browser: category, pin, photo, review, submit, folio, tracking, live status."""

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "vereda.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 90, 90)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_citizen_reports_with_pin_and_photo_and_follows_the_report(page, photo_file, django_db_blocker):
    page.set_viewport_size({"width": 412, "height": 915})  # a phone
    page.goto("/")
    page.get_by_role("link", name="Hacer un reporte").click()
    page.get_by_role("link", name=re.compile("Calles, veredas y caminos")).click()
    page.get_by_role("link", name=re.compile("^Hoyo|^Bache|vereda", re.IGNORECASE)).first.click()

    page.locator("#report-map").click(position={"x": 200, "y": 160})
    expect(page.locator("#map-coordinates")).to_contain_text("-45.")
    page.get_by_label("¿Qué pasa?").fill("Un hoyo profundo frente al almacén, ya cayó una persona mayor.")
    page.set_input_files("input[name=photos]", photo_file)
    page.get_by_label("Nombre").fill("Rosa Millán")
    page.get_by_label("Teléfono").fill("+56 9 8765 4321")

    page.get_by_role("button", name="Enviar reporte").click()
    expect(page.locator("#review")).to_be_visible()
    expect(page.locator("#review-list")).to_contain_text("Rosa Millán")
    page.get_by_role("button", name="Enviar reporte").click()

    expect(page.get_by_role("heading", name="¡Recibimos su reporte!")).to_be_visible()
    folio = page.locator("#folio").inner_text().strip()
    assert re.fullmatch(r"CN-\d{4}-\d{6}", folio)
    page.get_by_role("link", name="Ver mi reporte").click()

    expect(page.locator("#incident-status")).to_have_text("Recibido")
    expect(page.locator(".photos img")).to_have_count(1)
    body = page.locator("body").inner_text()
    assert "Rosa" not in body and "8765" not in body
    assert page.outside_requests == []

    from workflows.models import Incident

    with django_db_blocker.unblock():
        incident = Incident.objects.get(folio=folio)
        assert incident.photos.count() == 1
        assert incident.latitude is not None and incident.contact_name == "Rosa Millán"


def test_status_change_appears_live_on_the_tracking_page(page, django_db_blocker, live_channel_layer):
    from cms_content.models import IncidentCategory
    from workflows import services
    from workflows.models import IncidentStatus

    with django_db_blocker.unblock():
        category = IncidentCategory.objects.reportable().filter(sensitive=False, blocks_form=False).first()
        incident = services.incident_report(
            category=category, description="Luminaria apagada", address="Baquedano 120"
        )
    page.goto(f"/seguimiento/{incident.folio}/")
    expect(page.locator("#incident-status")).to_have_text("Recibido")
    expect(page.locator("#incident[data-live='1']")).to_be_attached()  # the socket joined its group

    def change_status():
        # Another thread: Playwright's loop runs in this one, and the broadcast uses async_to_sync.
        from django.db import connection

        try:
            services.incident_change_status(
                incident_id=incident.pk, status=IncidentStatus.IN_PROGRESS, by=None
            )
        finally:
            connection.close()

    with django_db_blocker.unblock(), ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(change_status).result(timeout=30)

    expect(page.locator("#incident-status")).to_have_text("En proceso", timeout=10000)


def test_bad_input_is_shown_next_to_the_field_in_spanish(page):
    page.goto("/reportar/")
    page.get_by_role("link", name=re.compile("Basura")).first.click()
    page.locator(".tile-link").first.click()
    page.get_by_role("button", name="Enviar reporte").click()  # review
    page.get_by_role("button", name="Enviar reporte").click()  # send with nothing filled in
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator(".has-error textarea[name=description] + .field-error")).to_have_text(
        "Cuéntenos qué pasa."
    )
