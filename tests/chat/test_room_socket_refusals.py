"""The chat room socket through the real ASGI application: refused connections and refused frames."""

import pytest
from asgiref.sync import sync_to_async

from chat import services
from chat.models import MembershipStatus, Message
from tests.chat.room_consumer_helpers import _member, assert_closed_with_4403, join, next_frame, open_socket
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


# Refusals


async def test_an_anonymous_connection_is_closed_with_4403(layer, room):
    socket, accepted = await open_socket(None, room)
    assert accepted
    await assert_closed_with_4403(socket)


async def test_a_non_member_is_closed_with_4403_and_hears_nothing_of_the_room(layer, room, alice):
    stranger = await sync_to_async(UserFactory)()
    socket, accepted = await open_socket(stranger, room)
    assert accepted
    await assert_closed_with_4403(socket)


async def test_a_pending_member_is_closed_with_4403(layer, room):
    pending = await sync_to_async(_member)(room, status=MembershipStatus.PENDING)
    socket, _ = await open_socket(pending, room)
    await assert_closed_with_4403(socket)


async def test_a_foreign_origin_is_refused_at_the_handshake(layer, room, alice):
    socket, accepted = await open_socket(alice, room, origin=(b"origin", b"http://evil.example.com"))
    assert not accepted


async def test_a_removed_member_is_disconnected_with_4403(layer, room, alice, moderator):
    socket = await join(alice, room)
    await sync_to_async(services.member_remove)(
        room_id=room.pk, user_id=alice.pk, by=moderator, reason="Spam"
    )
    await assert_closed_with_4403(socket)


async def test_a_muted_member_gets_an_error_frame_and_stays_connected(layer, room, alice, moderator):
    socket = await join(alice, room)
    await sync_to_async(services.member_mute)(
        room_id=room.pk, user_id=alice.pk, by=moderator, hours=1, reason="Spam"
    )
    assert (await next_frame(socket))["type"] == "muted"
    await socket.send_json_to({"type": "message.send", "client_id": "m-1", "body": "¿Me oyen?"})
    refusal = await next_frame(socket)
    assert {k: refusal[k] for k in ("type", "code", "client_id")} == {
        "type": "error",
        "code": "muted",
        "client_id": "m-1",
    }
    assert refusal["detail"].startswith("Está silenciado en esta sala hasta el ")
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_message_over_4000_characters_is_refused(layer, room, alice):
    socket = await join(alice, room)
    await socket.send_json_to({"type": "message.send", "client_id": "long", "body": "x" * 4001})
    assert await next_frame(socket) == {
        "type": "error",
        "code": "too_long",
        "client_id": "long",
        "detail": "El mensaje es demasiado largo.",
    }
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_sending_too_fast_gets_rate_limited_without_a_disconnect(layer, room, alice, settings):
    settings.CHAT_MESSAGE_RATE = (2, 60)
    socket = await join(alice, room)
    for n in range(2):
        await socket.send_json_to({"type": "message.send", "client_id": f"r{n}", "body": f"m{n}"})
    await socket.send_json_to({"type": "message.send", "client_id": "r2", "body": "m2"})
    frames = [await next_frame(socket) for _ in range(5)]
    assert {
        "type": "error",
        "code": "rate_limited",
        "client_id": "r2",
        "detail": "Está enviando muy rápido. Espere unos segundos.",
    } in frames
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    assert await sync_to_async(Message.objects.count)() == 2
    await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid_json"),
        ('{"type": "message.send", "client_id": "a", "body": NaN}', "invalid_json"),
        ('{"type": "message.send", "client_id": "a", "body": "x", "n": 1e309}', "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"type": "message.send", "client_id": "a", "body": 5}', "invalid_frame"),
        ('{"type": "message.send", "client_id": "a b<", "body": "hola"}', "invalid_frame"),
        ('{"type": "message.send", "body": "hola"}', "invalid_frame"),
        ('{"type": "message.edit", "id": "7", "body": "x"}', "invalid_frame"),
        ('{"type": "message.delete", "id": true}', "invalid_frame"),
        ('{"type": "shout"}', "unknown_type"),
        ('{"type": "message.send", "client_id": "a", "body": "' + "x" * 17000 + '"}', "frame_too_large"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(layer, room, alice, frame, code):
    socket = await join(alice, room)
    await socket.send_to(text_data=frame)
    assert (await next_frame(socket))["code"] == code
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_control_character_in_the_text_is_refused(layer, room, alice):
    socket = await join(alice, room)
    await socket.send_json_to({"type": "message.send", "client_id": "ctl", "body": "hola\u0000"})
    assert await next_frame(socket) == {
        "type": "error",
        "code": "invalid_text",
        "client_id": "ctl",
        "detail": "El texto tiene caracteres no válidos.",
    }
    await socket.disconnect()


async def test_error_frames_explain_in_the_language_of_the_persons_browser(layer, room, alice):
    from channels.testing import WebsocketCommunicator

    from cooperanet.asgi import application
    from tests.chat.helpers import ORIGIN, session_cookie_for

    cookie = await sync_to_async(session_cookie_for)(alice)
    english = WebsocketCommunicator(
        application, f"/ws/chat/{room.pk}/", headers=[ORIGIN, cookie, (b"accept-language", b"en-US,en;q=0.9")]
    )
    assert (await english.connect(timeout=5))[0]
    assert (await english.receive_json_from(timeout=3))["type"] == "presence"
    await english.send_to(text_data="{not json")
    assert await next_frame(english) == {
        "type": "error",
        "code": "invalid_json",
        "detail": "The message could not be read: it is not valid JSON.",
    }
    await english.send_json_to({"type": "message.send", "client_id": "e1", "body": "hi\u0000"})
    assert (await next_frame(english))["detail"] == "The text has characters that are not valid."
    await english.disconnect()

    spanish = await join(alice, room)  # no Accept-Language: Spanish, the site's language
    await spanish.send_to(text_data="{not json")
    assert (await next_frame(spanish))["detail"] == "El mensaje no se pudo leer: no es JSON válido."
    await spanish.disconnect()
