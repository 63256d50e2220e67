"""The chat room socket through the real ASGI application: sending, presence, edits, hidden messages."""

import pytest
from asgiref.sync import sync_to_async

from chat import services
from chat.models import Message
from tests.chat.room_consumer_helpers import _history_as, _member, join, next_frame, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


# Sending, seen in the same room and not in another


async def test_a_message_is_acknowledged_and_reaches_the_other_members_of_the_room(layer, room, alice, bruno):
    sender, listener = await join(alice, room), await join(bruno, room)
    await sender.send_json_to({"type": "message.send", "client_id": "c-1", "body": "¿Alguien sin luz?"})
    ack = await next_frame(sender)
    message = await sync_to_async(Message.objects.get)()
    assert ack == {"type": "ack", "client_id": "c-1", "id": message.pk}
    frame = await next_frame(listener)
    assert frame == {
        "type": "message",
        "id": message.pk,
        "room": room.pk,
        "author": "Alicia R.",
        "author_id": alice.pk,
        "body": "¿Alguien sin luz?",
        "created_at": message.created_at.isoformat(),
        "edited": False,
        "photos": [],
        "location": None,
    }
    await sender.disconnect()
    await listener.disconnect()


async def test_a_message_is_not_heard_in_another_room(layer, room, other_room, alice):
    outsider = await sync_to_async(_member)(other_room)
    sender, elsewhere = await join(alice, room), await join(outsider, other_room)
    await sender.send_json_to({"type": "message.send", "client_id": "c-1", "body": "Solo Centro"})
    assert (await next_frame(sender))["type"] == "ack"
    assert await elsewhere.receive_nothing(timeout=0.5)
    await sender.disconnect()
    await elsewhere.disconnect()


async def test_the_sender_gets_its_client_id_back_with_the_broadcast(layer, room, alice):
    sender = await join(alice, room)
    await sender.send_json_to({"type": "message.send", "client_id": "mine-1", "body": "Hola"})
    frames = [await next_frame(sender), await next_frame(sender)]
    assert sorted(frame["type"] for frame in frames) == ["ack", "message"]
    assert [frame["client_id"] for frame in frames if frame["type"] == "message"] == ["mine-1"]
    await sender.disconnect()


async def test_resending_the_same_client_id_acks_the_same_message_and_broadcasts_once(
    layer, room, alice, bruno
):
    sender, listener = await join(alice, room), await join(bruno, room)
    frame = {"type": "message.send", "client_id": "retry-7", "body": "Reunión mañana"}
    await sender.send_json_to(frame)
    first = {f["type"]: f for f in [await next_frame(sender), await next_frame(sender)]}  # ack + broadcast
    assert (await next_frame(listener))["body"] == "Reunión mañana"
    await sender.send_json_to(frame)
    assert await next_frame(sender) == {"type": "ack", "client_id": "retry-7", "id": first["ack"]["id"]}
    assert await listener.receive_nothing(timeout=0.5)
    assert await sender.receive_nothing(timeout=0.2)
    assert await sync_to_async(Message.objects.count)() == 1
    await sender.disconnect()
    await listener.disconnect()


async def test_presence_counts_people_with_the_room_open(layer, room, alice, bruno):
    first = await join(alice, room)
    second, accepted = await open_socket(bruno, room)
    assert accepted
    assert await second.receive_json_from(timeout=3) == {"type": "presence", "count": 2}
    assert await first.receive_json_from(timeout=3) == {"type": "presence", "count": 2}
    await second.disconnect()
    assert await first.receive_json_from(timeout=3) == {"type": "presence", "count": 1}
    await first.disconnect()


async def test_ping_gets_pong(layer, room, alice):
    socket = await join(alice, room)
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    await socket.disconnect()


# Edits, deletions, hidden messages


async def test_an_edit_reaches_the_room(layer, room, alice, bruno):
    message = await sync_to_async(services.message_post)(room_id=room.pk, by=alice, body="A las 18")
    sender, listener = await join(alice, room), await join(bruno, room)
    await sender.send_json_to({"type": "message.edit", "id": message.message.pk, "body": "A las 19"})
    frame = await next_frame(listener)
    assert (frame["type"], frame["id"], frame["body"]) == ("message.edited", message.message.pk, "A las 19")
    await sender.disconnect()
    await listener.disconnect()


async def test_a_deletion_reaches_the_room(layer, room, alice, bruno):
    message = await sync_to_async(services.message_post)(room_id=room.pk, by=alice, body="Ups")
    sender, listener = await join(alice, room), await join(bruno, room)
    await sender.send_json_to({"type": "message.delete", "id": message.message.pk})
    assert await next_frame(listener) == {"type": "message.deleted", "id": message.message.pk}
    await sender.disconnect()
    await listener.disconnect()


async def test_editing_someone_elses_message_is_refused(layer, room, alice, bruno):
    message = await sync_to_async(services.message_post)(room_id=room.pk, by=alice, body="Mío")
    socket = await join(bruno, room)
    await socket.send_json_to({"type": "message.edit", "id": message.message.pk, "body": "Cambiado"})
    assert await next_frame(socket) == {
        "type": "error",
        "code": "not_allowed",
        "id": message.message.pk,
        "detail": "Solo puede cambiar sus propios mensajes.",
    }
    await socket.disconnect()


async def test_members_only_learn_that_a_hidden_message_is_gone_and_moderators_learn_why(
    layer, room, alice, bruno, moderator
):
    posted = await sync_to_async(services.message_post)(room_id=room.pk, by=alice, body="Insulto")
    member_socket, moderator_socket = await join(bruno, room), await join(moderator, room)
    await sync_to_async(services.message_hide)(message_id=posted.message.pk, by=moderator, reason="Ofensivo")
    assert await next_frame(member_socket) == {"type": "message.hidden", "id": posted.message.pk}
    assert await next_frame(moderator_socket) == {
        "type": "message.hidden",
        "id": posted.message.pk,
        "reason": "Ofensivo",
    }
    await member_socket.disconnect()
    await moderator_socket.disconnect()


async def test_a_hidden_message_never_reaches_a_member_who_reconnects(layer, room, alice, bruno, moderator):
    posted = await sync_to_async(services.message_post)(room_id=room.pk, by=alice, body="Dato privado")
    await sync_to_async(services.message_hide)(message_id=posted.message.pk, by=moderator, reason="Datos")
    socket = await join(bruno, room)
    history = await sync_to_async(_history_as)(bruno, room, after=0)
    assert history["messages"] == []
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
