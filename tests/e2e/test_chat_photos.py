"""A neighbour posts a photo with her location in the chat; another sees it live and turns the message
into a report that carries its text, pin and photo."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e import test_chat
from tests.e2e.test_chat import signed_in_page

pytestmark = pytest.mark.e2e
PLAZA = {"latitude": -45.5712, "longitude": -72.0685}
chat_room = test_chat.chat_room  # the Centro room with Rosa, Luis and a moderator


@pytest.fixture
def garbage_photo(tmp_path):
    path = tmp_path / "microbasural.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 110, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def report_category(e2e_data, django_db_blocker):
    from cms_content.models import IncidentCategory

    with django_db_blocker.unblock():
        return (
            IncidentCategory.objects.reportable()
            .filter(sensitive=False, blocks_form=False, requires_contact=False, requires_photo=False)
            .select_related("parent")
            .first()
        )


def test_a_photo_with_a_location_reaches_the_room_live_and_becomes_a_report(
    browser, live_url, chat_room, garbage_photo, report_category, django_db_blocker
):
    rosa = signed_in_page(browser, live_url, "vecina-chat", chat_room)
    luis = signed_in_page(browser, live_url, "vecino-chat", chat_room)
    rosa.context.grant_permissions(["geolocation"])
    rosa.context.set_geolocation(PLAZA)

    rosa.get_by_label("Escriba su mensaje").fill("Microbasural en el pasaje Los Coigües")
    rosa.locator("#chat-photos").set_input_files(garbage_photo)
    rosa.get_by_role("button", name="Agregar mi ubicación").click()
    expect(rosa.locator("#chat-location-note")).to_have_text("Ubicación agregada.")
    rosa.get_by_role("button", name="Enviar").click()

    own = rosa.locator(".chat-message", has_text="Los Coigües")
    expect(own.locator(".chat-photos img")).to_have_count(1)
    expect(rosa.get_by_label("Escriba su mensaje")).to_have_value("")
    seen = luis.locator(".chat-message", has_text="Los Coigües")
    expect(seen.locator("img[alt='Foto 1 del mensaje']")).to_be_visible()
    expect(seen.locator(".chat-location")).to_be_visible()
    thumbnail = seen.locator("img").element_handle()
    luis.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail)  # served to a member

    # A photo that is not a photo is refused in Spanish, the text stays in the box.
    not_a_photo = garbage_photo.replace(".jpg", ".txt")
    with open(not_a_photo, "w") as handle:
        handle.write("no soy una foto")
    rosa.get_by_label("Escriba su mensaje").fill("Otra")
    rosa.locator("#chat-photos").set_input_files(not_a_photo)
    rosa.get_by_role("button", name="Enviar").click()
    expect(rosa.locator("#chat-error")).to_contain_text("El archivo no es una foto")
    expect(rosa.get_by_label("Escriba su mensaje")).to_have_value("Otra")
    expect(luis.locator(".chat-message", has_text="Otra")).to_have_count(0)

    seen.get_by_role("button", name="Convertir en reporte").click()
    expect(luis).to_have_url(re.compile(r"/reportar/$"))
    luis.goto(f"/reportar/{report_category.parent.slug}/{report_category.slug}/")
    expect(luis.get_by_label("¿Qué pasa?")).to_have_value("Microbasural en el pasaje Los Coigües")
    expect(luis.locator("input[name=latitude]")).to_have_value(re.compile(r"^-45\.5712"))
    expect(luis.locator(".chat-draft-photos img")).to_have_count(1)
    expect(luis.get_by_label(re.compile(r"Adjuntar las fotos del mensaje del chat \(1\)"))).to_be_checked()
    luis.get_by_label("No, quiero reportar de forma anónima").check()
    luis.get_by_role("button", name="Enviar reporte").click()
    expect(luis.locator("#review")).to_be_visible()
    luis.get_by_role("button", name="Enviar reporte").click()
    expect(luis.get_by_role("heading", name="¡Recibimos su reporte!")).to_be_visible()
    folio = luis.locator("#folio").inner_text().strip()

    from workflows.models import Incident

    with django_db_blocker.unblock():
        incident = Incident.objects.get(folio=folio)
        assert incident.photos.count() == 1
        assert round(incident.latitude, 4) == PLAZA["latitude"]
        assert incident.channel == "chat"
    for page in (rosa, luis):
        assert page.outside_requests == []
        page.context.close()
