"""Offline in a browser: a report sent without a connection is kept on the phone and sent once, later."""

import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

QUEUED = (
    "Sin conexión: su reporte quedó guardado en este teléfono y se enviará solo cuando vuelva la conexión."
)


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "luminaria.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 60, 80)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def form_path(django_db_blocker):
    from django.urls import reverse

    from cms_content.models import IncidentCategory

    with django_db_blocker.unblock():
        category = (
            IncidentCategory.objects.reportable()
            .filter(blocks_form=False, sensitive=False, parent__isnull=False)
            .select_related("parent")
            .first()
        )
        return reverse("portal:report_form", args=[category.parent.slug, category.slug])


@pytest.fixture
def description():
    """A text no other test uses, to find this test's incidents."""
    return f"Poste caído en el pasaje, cables en el suelo ({uuid.uuid4().hex[:8]})."


def incidents_described(django_db_blocker, description):
    from workflows.models import Incident

    with django_db_blocker.unblock():
        return list(Incident.objects.filter(description=description).prefetch_related("photos"))


def open_form_with_worker(page, form_path):
    page.goto(form_path)
    assert page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")


def back_online(page):
    """End the emulated cut, as when a phone's signal returns.

    In a network namespace with only loopback (tests/e2e/without_internet.sh) Chromium sees no network
    interface and never reports "online" after the emulation ends: the event a phone would get is then
    dispatched here, so the queue's own reaction to it is what the test checks.
    """
    page.context.set_offline(False)
    page.evaluate("() => { if (!navigator.onLine) { window.dispatchEvent(new Event('online')); } }")


def fill_and_send_offline(page, description, photo_file):
    page.locator("#report-map").click(position={"x": 200, "y": 160})
    expect(page.locator("#map-coordinates")).to_contain_text("-45.")
    page.get_by_label("¿Qué pasa?").fill(description)
    page.set_input_files("input[name=photos]", photo_file)
    page.get_by_label("Nombre").fill("Rosa Millán")
    page.get_by_label("Teléfono").fill("+56 9 8765 4321")
    page.context.set_offline(True)
    page.get_by_role("button", name="Enviar reporte").click()  # review
    expect(page.locator("#review")).to_be_visible()
    page.get_by_role("button", name="Enviar reporte").click()  # send
    expect(page.locator(".offline-status")).to_have_text(QUEUED)
    expect(page.locator("#offline-panel")).to_contain_text("Esperando conexión")


def test_report_sent_offline_is_kept_and_sent_once_with_its_photo_when_back_online(
    page, form_path, description, photo_file, django_db_blocker
):
    open_form_with_worker(page, form_path)
    fill_and_send_offline(page, description, photo_file)
    assert incidents_described(django_db_blocker, description) == []

    back_online(page)

    panel = page.locator("#offline-panel")
    expect(panel).to_contain_text(re.compile(r"Enviado: folio CN-\d{4}-\d{6}"), timeout=20000)
    folio = panel.locator(".offline-sent a").first.inner_text().strip()
    expect(panel.get_by_role("link", name=folio)).to_have_attribute("href", f"/reportar/listo/{folio}/")
    incidents = incidents_described(django_db_blocker, description)
    assert [incident.folio for incident in incidents] == [folio]
    assert incidents[0].photos.count() == 1
    assert page.evaluate("async () => (await window.CooperaNetOfflineQueue.entries()).length") == 0
    assert page.outside_requests == []


def test_report_whose_answer_was_lost_is_sent_again_and_still_makes_one_incident(
    page, form_path, description, photo_file, django_db_blocker
):
    open_form_with_worker(page, form_path)
    fill_and_send_offline(page, description, photo_file)
    answers = []

    def lose_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
        elif not answers:
            # The server receives and handles the report, but its answer never reaches the phone.
            answers.append(route.fetch(max_redirects=0))
            route.abort("connectionreset")
        else:
            answers.append(None)
            route.continue_()

    page.route(re.compile(r"/reportar/"), lose_first_answer)
    is_post = lambda request: request.method == "POST"  # noqa: E731
    with page.expect_event("requestfailed", predicate=is_post, timeout=20000):
        back_online(page)  # the queue sends the report at once
    expect(page.locator("#offline-panel")).to_contain_text("Esperando conexión")
    assert len(answers) == 1 and answers[0].status == 302
    first_folio = re.search(r"/reportar/listo/([^/]+)/", answers[0].headers["location"]).group(1)
    stored = incidents_described(django_db_blocker, description)
    assert [incident.folio for incident in stored] == [first_folio]

    page.evaluate("async () => { await window.CooperaNetOfflineQueue.replayAll(); }")

    expect(page.locator("#offline-panel")).to_contain_text(f"Enviado: folio {first_folio}")
    assert len(answers) == 2
    incidents = incidents_described(django_db_blocker, description)
    assert [incident.folio for incident in incidents] == [first_folio]
    assert incidents[0].photos.count() == 1
    assert page.outside_requests == []


def test_worker_keeps_report_pages_and_taxonomy_but_not_the_api_or_photos(page, form_path):
    open_form_with_worker(page, form_path)
    page.reload()  # now under the worker's control, so this visit and the fetches below go through it
    page.evaluate(
        """async () => {
            await fetch("/api/taxonomy/");
            await fetch("/api/incidents/");
        }"""
    )
    kept = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) { urls.push(new URL(request.url).pathname); }
            }
            return urls;
        }"""
    )
    assert {"/", "/reportar/", "/sin-conexion/", form_path, "/api/taxonomy/"} <= set(kept)
    assert [url for url in kept if url.startswith("/api/") and url != "/api/taxonomy/"] == []
    assert [url for url in kept if url.startswith(("/fotos/", "/cms/", "/tareas/", "/oficina/"))] == []
    assert page.outside_requests == []


def test_without_connection_a_kept_form_opens_and_other_pages_show_the_offline_page(page, form_path):
    open_form_with_worker(page, form_path)
    page.reload()
    page.context.set_offline(True)

    page.goto(form_path)
    expect(page.get_by_role("button", name="Enviar reporte")).to_be_visible()
    page.goto("/directorio/")
    expect(page.get_by_role("heading", name="Sin conexión")).to_be_visible()
    page.context.set_offline(False)
    assert page.outside_requests == []
