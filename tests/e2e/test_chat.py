"""Neighbourhood chat in browsers: two neighbours talk live, a moderator hides a message, nothing leaks."""

import re
from urllib.parse import urlsplit

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


def new_page(browser, live_url, *, route=None, bypass_csp=False):
    """A phone-sized page in its own context (another person's cookies); records outside requests.

    `bypass_csp` only for the accessibility check, whose axe script Playwright injects inline.
    """
    context = browser.new_context(
        base_url=live_url,
        locale="es-CL",
        viewport={"width": 412, "height": 915},
        bypass_csp=bypass_csp,
    )
    if route is not None:
        context.route_web_socket(re.compile(r"/ws/chat/"), route)
    page = context.new_page()
    own_host = urlsplit(live_url).netloc
    page.outside_requests = []
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc not in ("", own_host) and page.outside_requests.append(request.url)
        ),
    )
    return page


def sign_in(page, username, next_path):
    page.goto(f"/ingresar/?next={next_path}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def signed_in_page(browser, live_url, username, room, *, route=None, bypass_csp=False):
    page = new_page(browser, live_url, route=route, bypass_csp=bypass_csp)
    sign_in(page, username, f"/chat/{room.pk}/")
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
        assert page.outside_requests == []
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


def test_an_authority_alert_is_pinned_live_and_its_roll_call_shows_who_needs_help(
    browser, live_url, chat_room, django_db_blocker
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from chat.models import Membership

    with django_db_blocker.unblock():
        authority, _created = get_user_model().objects.get_or_create(username="autoridad-chat")
        authority.set_password(E2E_PASSWORD)
        authority.save()
        authority.user_permissions.add(Permission.objects.get(codename="send_alert"))
        Membership.objects.filter(user__username="vecino-chat").update(roll_call_opt_in=True)

    rosa = signed_in_page(browser, live_url, "vecina-chat", chat_room)
    sender = new_page(browser, live_url)
    sign_in(sender, "autoridad-chat", "/chat/avisos/nuevo/")
    sender.get_by_label("Tipo de aviso").select_option("water_cut")
    sender.get_by_label("Título").fill("Corte de agua hasta las 18:00")
    sender.get_by_label(chat_room.name, exact=True).check()
    sender.get_by_role("button", name="Enviar aviso").click()
    expect(sender.locator(".messages")).to_contain_text("Aviso enviado a 1 sala")

    pinned = rosa.locator("#chat-alerts .chat-alert", has_text="Corte de agua hasta las 18:00")
    expect(pinned).to_be_visible()
    pinned.get_by_role("button", name="Necesito ayuda").click()
    expect(rosa.locator(".messages")).to_contain_text("su respuesta quedó registrada")

    moderator = signed_in_page(browser, live_url, "moderadora-chat", chat_room)
    moderator.locator(".chat-alert", has_text="Corte de agua hasta las 18:00").get_by_role(
        "link", name="Ver respuestas"
    ).click()
    expect(moderator.locator("#need-help")).to_contain_text("Rosa M.")
    expect(moderator.locator("#not-answered")).to_contain_text("Luis S.")
    for page in (rosa, sender, moderator):
        assert page.outside_requests == []
        page.context.close()


@pytest.mark.parametrize("room_page", [True, False], ids=["room", "room_list"])
def test_chat_pages_have_no_serious_accessibility_violations(browser, live_url, chat_room, room_page):
    from tests.e2e.test_accessibility import serious_violations

    page = signed_in_page(browser, live_url, "moderadora-chat", chat_room, bypass_csp=True)
    send(page, "Mensaje para revisar la accesibilidad")
    expect(page.locator(".chat-pending")).to_have_count(0)
    page.goto(f"/chat/{chat_room.pk}/" if room_page else "/chat/")
    assert serious_violations(page) == []
    page.context.close()


def test_two_staff_of_the_responsible_actor_coordinate_an_incident_live(
    browser, live_url, e2e_data, django_db_blocker
):
    from django.contrib.auth import get_user_model

    from cms_content.models import ActorMembership
    from tests.factories.cms_content import ActorFactory, SubSectionFactory
    from workflows.services import incident_report

    with django_db_blocker.unblock():
        actor = ActorFactory(slug="bomberos-coordinacion-e2e", name="Bomberos (prueba)")
        incident = incident_report(
            category=SubSectionFactory(responsible_actor=actor),
            description="Árbol caído sobre el tendido eléctrico",
            address="Baquedano 500",
        )
        for username, first in (("bombero-uno", "Tomás"), ("bombera-dos", "Paula")):
            user, _created = get_user_model().objects.get_or_create(
                username=username, defaults={"first_name": first, "is_staff": True}
            )
            user.set_password(E2E_PASSWORD)
            user.save()
            ActorMembership.objects.get_or_create(user=user, actor=actor)
        curious, _created = get_user_model().objects.get_or_create(username="vecina-curiosa")
        curious.set_password(E2E_PASSWORD)
        curious.save()

    path = f"/chat/incidentes/{incident.pk}/"
    pages = []
    for username in ("bombero-uno", "bombera-dos"):
        page = new_page(browser, live_url)
        sign_in(page, username, path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(incident.folio)
        expect(page.locator("#chat-status")).to_have_text("Conectado")
        pages.append(page)
    tomas, paula = pages

    send(tomas, "Llegamos al lugar, cortamos el tránsito")
    expect(paula.locator(".chat-message", has_text="cortamos el tránsito")).to_contain_text("Tomás")
    send(paula, "Aviso a la compañía eléctrica")
    expect(tomas.locator(".chat-message", has_text="compañía eléctrica")).to_be_visible()
    # No citizen features in a staff thread.
    expect(tomas.get_by_role("link", name="Denunciar")).to_have_count(0)
    expect(tomas.get_by_role("button", name="Convertir en reporte")).to_have_count(0)

    citizen = new_page(browser, live_url)
    sign_in(citizen, "vecina-curiosa", "/chat/")
    response = citizen.goto(path)
    assert response.status == 404
    for page in (tomas, paula, citizen):
        assert page.outside_requests == []
        page.context.close()


def test_after_a_reconnect_the_page_applies_edits_and_hides_it_missed(
    browser, live_url, chat_room, django_db_blocker
):
    from django.contrib.auth import get_user_model

    from chat import services

    users = get_user_model().objects
    with django_db_blocker.unblock():
        luis, marta = users.get(username="vecino-chat"), users.get(username="moderadora-chat")
        first = services.message_post(room_id=chat_room.pk, by=luis, body="La feria es el sábado").message
        second = services.message_post(room_id=chat_room.pk, by=luis, body="Texto que se ocultará").message

    sockets = {"offline": False, "open": []}

    def route(ws):
        if sockets["offline"]:
            ws.close(code=1013)
            return
        sockets["open"].append((ws, ws.connect_to_server()))

    rosa = signed_in_page(browser, live_url, "vecina-chat", chat_room, route=route)
    expect(rosa.locator(f"#m-{second.pk}")).to_be_visible()
    sockets["offline"] = True
    for ws, server in sockets["open"]:
        server.close()
        ws.close(code=1012)
    expect(rosa.locator("#chat-status")).to_have_text("Sin conexión. Reintentando…")

    # Changed while Rosa is away; this process's broadcasts never reach the live server's sockets.
    with django_db_blocker.unblock():
        services.message_edit(
            room_id=chat_room.pk, message_id=first.pk, by=luis, body="La feria es el domingo"
        )
        services.message_hide(message_id=second.pk, by=marta, reason="Prueba de resincronización")

    sockets["offline"] = False
    expect(rosa.locator(f"#m-{first.pk} .chat-body")).to_have_text("La feria es el domingo", timeout=40000)
    expect(rosa.locator(f"#m-{first.pk} .chat-edited")).to_be_visible()
    expect(rosa.locator(f"#m-{second.pk}")).to_have_count(0)
    assert "Prueba de resincronización" not in rosa.content()
    rosa.context.close()
