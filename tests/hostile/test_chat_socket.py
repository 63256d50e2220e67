"""The chat room socket under hostile frames: an error frame with a code, the socket open, nothing stored."""

import json

import pytest
from asgiref.sync import sync_to_async

from chat.models import Message
from tests.chat.room_consumer_helpers import (
    _member,
    _room,
    assert_closed_with_4403,
    join,
    next_frame,
    open_socket,
)
from tests.hostile.helpers import SCRIPT

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(db):
    return _room("Barrio Centro")


@pytest.fixture
def alice(room):
    return _member(room, first_name="Alicia")


@pytest.fixture
def bob(room):
    return _member(room, first_name="Roberto")


def _send(text: str, **fields) -> str:
    return json.dumps({"type": "message.send", "client_id": "c-1", "body": text, **fields})


# (id, raw text frame, expected error code)
FRAMES = [
    ("not-json", "hola vecinos", "invalid_json"),
    ("truncated-json", '{"type": "ping"', "invalid_json"),
    ("nan", '{"type": "ping", "x": NaN}', "invalid_json"),
    ("infinity", '{"type": "ping", "x": -Infinity}', "invalid_json"),
    ("overflow", '{"type": "ping", "x": 1e999}', "invalid_json"),
    ("deep-nesting", '{"type": "ping", "x": ' + "[" * 5000 + "]" * 5000 + "}", "invalid_json"),
    ("oversized", json.dumps({"type": "ping", "x": "a" * 20_000}), "frame_too_large"),
    ("array", "[1, 2, 3]", "invalid_frame"),
    ("string", '"message.send"', "invalid_frame"),
    ("null", "null", "invalid_frame"),
    ("no-type", "{}", "invalid_frame"),
    ("type-number", '{"type": 7}', "invalid_frame"),
    ("type-object", '{"type": {"$ne": null}}', "invalid_frame"),
    ("unknown-type", '{"type": "admin.kick"}', "unknown_type"),
    ("layer-event-name", '{"type": "chat.message", "message": {"body": "falso"}}', "unknown_type"),
    ("layer-event-removed", '{"type": "chat_member_removed", "user_id": 1}', "unknown_type"),
    ("body-too-long", _send("x" * 4001), "too_long"),
    ("body-empty", _send("   "), "empty"),
    ("body-nul", _send("hola\u0000"), "invalid_text"),
    ("body-control", _send("hola\u001b[2J"), "invalid_text"),
    (
        "body-lone-surrogate",
        '{"type": "message.send", "client_id": "c-1", "body": "\\ud800"}',
        "invalid_text",
    ),
    ("body-number", _send(42), "invalid_frame"),
    ("body-list", _send(["a"]), "invalid_frame"),
    ("body-missing", '{"type": "message.send", "client_id": "c-1"}', "invalid_frame"),
    ("client-id-missing", '{"type": "message.send", "body": "hola"}', "invalid_frame"),
    (
        "client-id-traversal",
        json.dumps({"type": "message.send", "client_id": "../x", "body": "a"}),
        "invalid_frame",
    ),
    (
        "client-id-65",
        json.dumps({"type": "message.send", "client_id": "c" * 65, "body": "a"}),
        "invalid_frame",
    ),
    ("client-id-number", json.dumps({"type": "message.send", "client_id": 1, "body": "a"}), "invalid_frame"),
    ("edit-id-zero", '{"type": "message.edit", "id": 0, "body": "a"}', "invalid_frame"),
    ("edit-id-negative", '{"type": "message.edit", "id": -5, "body": "a"}', "invalid_frame"),
    ("edit-id-string", '{"type": "message.edit", "id": "1", "body": "a"}', "invalid_frame"),
    ("edit-id-bool", '{"type": "message.edit", "id": true, "body": "a"}', "invalid_frame"),
    ("edit-id-huge", '{"type": "message.edit", "id": 99999999999999999999, "body": "a"}', "invalid_frame"),
    ("edit-id-float", '{"type": "message.edit", "id": 1.5, "body": "a"}', "invalid_frame"),
    ("edit-unknown", '{"type": "message.edit", "id": 987654, "body": "a"}', "not_found"),
    ("delete-unknown", '{"type": "message.delete", "id": 987654}', "not_found"),
    ("read-id-text", '{"type": "read", "id": "último"}', "invalid_frame"),
]


async def _count():
    return await sync_to_async(Message.objects.count)()


@pytest.mark.parametrize(("frame", "code"), [pytest.param(f, c, id=i) for i, f, c in FRAMES])
async def test_a_bad_frame_gets_an_error_frame_and_the_socket_stays_open(room, alice, frame, code):
    socket = await join(alice, room)
    before = await _count()
    await socket.send_to(text_data=frame)
    error = await next_frame(socket)
    assert error["type"] == "error" and error["code"] == code, error
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    assert await _count() == before
    await socket.disconnect()


async def test_a_binary_frame_is_refused(room, alice):
    socket = await join(alice, room)
    await socket.send_to(bytes_data=b"\x00\x01\x02")
    assert await next_frame(socket) == {
        "type": "error",
        "code": "binary_not_supported",
        "detail": "Solo se aceptan mensajes de texto.",
    }
    assert await _count() == 0
    await socket.disconnect()


async def test_forged_sender_fields_are_ignored(room, alice, bob):
    socket = await join(alice, room)
    frame = _send("Soy el alcalde", author_id=bob.pk, author="Alcalde", user_id=bob.pk, id=1, room=999)
    await socket.send_to(text_data=frame)
    seen = [await next_frame(socket), await next_frame(socket)]
    ack = next(f for f in seen if f["type"] == "ack")
    message = await sync_to_async(Message.objects.get)(pk=ack["id"])
    assert message.author_id == alice.pk and message.room_id == room.pk
    broadcast = next(f for f in seen if f["type"] == "message")
    assert broadcast["author_id"] == alice.pk
    await socket.disconnect()


async def test_editing_or_deleting_someone_elses_message_is_refused(room, alice, bob):
    from chat import services

    theirs = await sync_to_async(services.message_post)(room_id=room.pk, by=bob, body="Mío", client_id="b-1")
    socket = await join(alice, room)
    for frame in (
        {"type": "message.edit", "id": theirs.message.pk, "body": "Cambiado"},
        {"type": "message.delete", "id": theirs.message.pk},
    ):
        await socket.send_json_to(frame)
        error = await next_frame(socket)
        assert error["type"] == "error" and error["code"] == "not_allowed", error
    message = await sync_to_async(Message.objects.get)(pk=theirs.message.pk)
    assert message.body == "Mío" and not message.deleted
    await socket.disconnect()


@pytest.mark.parametrize("which", ["other-room", "unknown-room"])
async def test_a_room_the_user_is_not_in_is_closed_with_4403(room, alice, which):
    target = await sync_to_async(_room)("Los Pinos") if which == "other-room" else None
    if target is None:

        class Missing:
            pk = 987654

        target = Missing()
    socket, accepted = await open_socket(alice, target)
    assert accepted
    await assert_closed_with_4403(socket)


async def test_html_in_a_message_is_stored_as_text_and_sent_as_json_text(room, alice):
    socket = await join(alice, room)
    await socket.send_to(text_data=_send(SCRIPT))
    frames = [await next_frame(socket), await next_frame(socket)]
    broadcast = next(f for f in frames if f["type"] == "message")
    assert broadcast["body"] == SCRIPT  # text in JSON; the page inserts it with textContent
    await socket.disconnect()
