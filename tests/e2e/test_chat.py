"""Neighbourhood chat in browsers: two neighbours talk live, a moderator hides a message, nothing leaks."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def chat_room(e2e_data, django_db_blocker):
    """The Centro room with two neighbours and a moderator, committed for the live server."""
    from django.contrib.auth import get_user_model

    from chat.models import Membership, MembershipRole, Room, RoomKind
    from chat.services import room_sync_neighbourhoods

    people = {
        "vecina-chat": ("Rosa", "Millán", MembershipRole.MEMBER),
        "vecino-chat": ("Luis", "Soto", MembershipRole.MEMBER),
        "moderadora-chat": ("Marta", "Vidal", MembershipRole.MODERATOR),
    }
    with django_db_blocker.unblock():
        room_sync_neighbourhoods()
        room = Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD).order_by("pk").first()
        for username, (first, last, role) in people.items():
            user, _created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.cl"},
            )
            user.set_password(E2E_PASSWORD)
            user.save()
            Membership.objects.update_or_create(user=user, room=room, defaults={"role": role})
    return room


def signed_in_page(browser, live_url, username, room, *, route=None):
    context = browser.new_context(base_url=live_url, locale="es-CL", viewport={"width": 412, "height": 915})
    if route is not None:
        context.route_web_socket(re.compile(r"/ws/chat/"), route)
    page = context.new_page()
    page.goto(f"/ingresar/?next=/chat/{room.pk}/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(rf"/chat/{room.pk}/$"))
    expect(page.locator("#chat-status")).to_have_text("Conectado")
    return page


def send(page, text):
    page.get_by_label("Escriba su mensaje").fill(text)
    page.get_by_role("button", name="Enviar").click()


def test_two_neighbours_chat_live_and_a_moderator_hides_a_message(browser, live_url, chat_room):
    rosa = signed_in_page(browser, live_url, "vecina-chat", chat_room)
    luis = signed_in_page(browser, live_url, "vecino-chat", chat_room)

    send(rosa, "Hola, ¿alguien más sin agua en Baquedano?")
    expect(luis.locator(".chat-message", has_text="sin agua en Baquedano")).to_be_visible()
    expect(luis.locator(".chat-message", has_text="sin agua")).to_contain_text("Rosa M.")
    expect(rosa.locator(".chat-pending")).to_have_count(0)  # acknowledged: no longer "enviando…"

    send(luis, "Sí, desde las 8. <b>Llamé</b> a Aguas Patagonia")
    luis_message = rosa.locator(".chat-message", has_text="Llamé")
    expect(luis_message).to_be_visible()
    expect(luis_message.locator(".chat-body")).to_have_text("Sí, desde las 8. <b>Llamé</b> a Aguas Patagonia")

    moderator = signed_in_page(browser, live_url, "moderadora-chat", chat_room)
    moderator.locator(".chat-message", has_text="Llamé").get_by_role("link", name="Moderar").click()
    moderator.locator("#id_hide-reason").fill("Prueba de moderación")
    moderator.get_by_role("button", name="Ocultar mensaje").click()
    expect(moderator.locator(".messages")).to_contain_text("Mensaje ocultado")

    expect(rosa.locator(".chat-message", has_text="Llamé")).to_have_count(0)
    expect(rosa.locator(".chat-message", has_text="sin agua en Baquedano")).to_be_visible()
    rosa.reload()
    expect(rosa.locator("#chat-status")).to_have_text("Conectado")
    expect(rosa.locator(".chat-message", has_text="Llamé")).to_have_count(0)

    for page in (rosa, luis, moderator):
        assert "@example.cl" not in page.content()
        page.context.close()


def test_after_a_dropped_connection_the_page_resyncs_and_resends_what_was_pending(
    browser, live_url, chat_room
):
    sockets = {"offline": False, "open": []}

    def route(ws):
        # Every chat socket of Rosa's page goes through here, so the test can cut the line.
        if sockets["offline"]:
            ws.close(code=1013)
            return
        server = ws.connect_to_server()
        sockets["open"].append((ws, server))

    rosa = signed_in_page(browser, live_url, "vecina-chat", chat_room, route=route)
    luis = signed_in_page(browser, live_url, "vecino-chat", chat_room)

    sockets["offline"] = True
    for ws, server in sockets["open"]:
        server.close()
        ws.close(code=1012)
    expect(rosa.locator("#chat-status")).to_have_text("Sin conexión. Reintentando…")
    send(rosa, "Escrito sin conexión")
    expect(rosa.locator(".chat-pending", has_text="Escrito sin conexión")).to_contain_text("enviando…")
    send(luis, "Mensaje que Rosa no alcanzó a ver")
    expect(luis.locator(".chat-message", has_text="no alcanzó")).to_be_visible()

    sockets["offline"] = False
    expect(rosa.locator(".chat-message", has_text="no alcanzó")).to_be_visible(timeout=40000)
    expect(luis.locator(".chat-message", has_text="Escrito sin conexión")).to_be_visible(timeout=40000)
    expect(rosa.locator(".chat-pending")).to_have_count(0)
    expect(rosa.locator(".chat-message", has_text="Escrito sin conexión")).to_have_count(1)
    # Order kept: what Luis wrote while Rosa was away comes before her late message.
    bodies = rosa.locator(".chat-body").all_inner_texts()
    assert bodies.index("Mensaje que Rosa no alcanzó a ver") < bodies.index("Escrito sin conexión")
    rosa.context.close()
    luis.context.close()
