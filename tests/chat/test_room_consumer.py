"""The chat room socket through the real ASGI application, on the in-memory layer and on Redis."""

import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test import Client
from django.urls import reverse

from chat import services
from chat.models import Membership, MembershipRole, MembershipStatus, Message, Room, RoomKind
from cooperanet.asgi import application
from tests.chat.helpers import (
    ORIGIN,
    REDIS_URL,
    redis_layer_settings,
    reset_channel_layers,
    session_cookie_for,
)
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    """Run each test once on the in-memory layer and once on a real Redis layer."""
    if request.param == "redis":
        settings.CHANNEL_LAYERS = redis_layer_settings()
    reset_channel_layers()
    yield request.param
    reset_channel_layers()


def _room(name):
    return Room.objects.create(kind=RoomKind.NEIGHBOURHOOD, name=name, neighbourhood=NeighbourhoodFactory())


def _member(room, *, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE, **user_fields):
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, room=room, role=role, status=status)
    return user


@pytest.fixture
def room():
    return _room("Barrio Centro")


@pytest.fixture
def other_room():
    return _room("Los Pinos")


@pytest.fixture
def alice(room):
    return _member(room, first_name="Alicia", last_name="Ruiz", email="alicia@example.cl")


@pytest.fixture
def bruno(room):
    return _member(room, first_name="Bruno", last_name="Díaz")


@pytest.fixture
def moderator(room):
    return _member(room, role=MembershipRole.MODERATOR, first_name="Marta")


async def open_socket(user, room, *, origin=ORIGIN):
    """Connect as `user` (None: anonymous); returns (communicator, accepted)."""
    headers = [origin]
    if user is not None:
        headers.append(await sync_to_async(session_cookie_for)(user))
    communicator = WebsocketCommunicator(application, f"/ws/chat/{room.pk}/", headers=headers)
    accepted, _ = await communicator.connect(timeout=5)
    return communicator, accepted


async def join(user, room):
    """Connect a member and take their own presence frame."""
    communicator, accepted = await open_socket(user, room)
    assert accepted
    assert (await communicator.receive_json_from(timeout=3))["type"] == "presence"
    return communicator


async def next_frame(communicator):
    """The next frame that is not a presence update (others joining or leaving)."""
    frame = await communicator.receive_json_from(timeout=3)
    while frame["type"] == "presence":
        frame = await communicator.receive_json_from(timeout=3)
    return frame


async def assert_closed_with_4403(communicator):
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


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
    assert await next_frame(socket) == {"type": "error", "code": "not_allowed", "id": message.message.pk}
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
    assert await next_frame(socket) == {"type": "error", "code": "muted", "client_id": "m-1"}
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_a_message_over_4000_characters_is_refused(layer, room, alice):
    socket = await join(alice, room)
    await socket.send_json_to({"type": "message.send", "client_id": "long", "body": "x" * 4001})
    assert await next_frame(socket) == {"type": "error", "code": "too_long", "client_id": "long"}
    assert not await sync_to_async(Message.objects.exists)()
    await socket.disconnect()


async def test_sending_too_fast_gets_rate_limited_without_a_disconnect(layer, room, alice, settings):
    settings.CHAT_MESSAGE_RATE = (2, 60)
    socket = await join(alice, room)
    for n in range(2):
        await socket.send_json_to({"type": "message.send", "client_id": f"r{n}", "body": f"m{n}"})
    await socket.send_json_to({"type": "message.send", "client_id": "r2", "body": "m2"})
    frames = [await next_frame(socket) for _ in range(5)]
    assert {"type": "error", "code": "rate_limited", "client_id": "r2"} in frames
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
    assert await next_frame(socket) == {"type": "error", "code": "invalid_text", "client_id": "ctl"}
    await socket.disconnect()


# Alerts


def _send_alert(room):
    from django.contrib.auth.models import Permission

    authority = UserFactory()
    authority.user_permissions.add(Permission.objects.get(codename="send_alert"))
    return services.alert_send(
        by=authority, kind="water_cut", title="Corte de agua", neighbourhood_ids=[room.neighbourhood_id]
    )


async def test_an_alert_reaches_the_alerted_room_and_not_another(layer, room, other_room, alice):
    outsider = await sync_to_async(_member)(other_room)
    inside, elsewhere = await join(alice, room), await join(outsider, other_room)
    alert = await sync_to_async(_send_alert)(room)
    frame = await next_frame(inside)
    assert (frame["type"], frame["id"], frame["title"], frame["kind_label"]) == (
        "alert",
        alert.pk,
        "Corte de agua",
        "Corte de agua",
    )
    assert await elsewhere.receive_nothing(timeout=0.5)
    await inside.disconnect()
    await elsewhere.disconnect()


# Shared incidents


def _public_incident():
    from tests.factories.cms_content import SubSectionFactory
    from workflows.services import incident_report

    return incident_report(
        category=SubSectionFactory(),
        description="Poste caído",
        address="Baquedano 120",
        contact_name="Ana Reportante",
    )


def _change_status(incident, by):
    from workflows.services import incident_change_status

    incident_change_status(incident_id=incident.pk, status="in_progress", by=by)


async def test_a_shared_incidents_card_and_its_status_changes_reach_the_room(layer, room, alice, bruno):
    incident = await sync_to_async(_public_incident)()
    watcher = await join(bruno, room)
    await sync_to_async(services.incident_share)(room_id=room.pk, folio=incident.folio, by=alice)
    card = await next_frame(watcher)
    assert (card["type"], card["folio"], card["status"]) == ("incident", incident.folio, "received")
    await sync_to_async(_change_status)(incident, alice)
    assert await next_frame(watcher) == {
        "type": "incident_status",
        "folio": incident.folio,
        "status": "in_progress",
        "status_label": "En proceso",
    }
    await watcher.disconnect()


async def test_a_member_who_connects_later_hears_status_changes_of_shared_incidents(layer, room, alice):
    incident = await sync_to_async(_public_incident)()
    await sync_to_async(services.incident_share)(room_id=room.pk, folio=incident.folio, by=alice)
    socket = await join(alice, room)
    await sync_to_async(_change_status)(incident, alice)
    frame = await next_frame(socket)
    assert (frame["type"], frame["status"]) == ("incident_status", "in_progress")
    assert "Ana" not in json.dumps(frame)
    await socket.disconnect()


# Resync after a dropped connection


def _history_as(user, room, *, after):
    client = Client()
    client.force_login(user)
    return client.get(reverse("chat:room_history", args=[room.pk]), {"after": after}).json()


async def test_after_a_dropped_connection_the_client_gets_every_missed_message_in_order(
    layer, room, alice, bruno
):
    reader, writer = await join(alice, room), await join(bruno, room)
    await writer.send_json_to({"type": "message.send", "client_id": "w0", "body": "antes"})
    seen = await next_frame(reader)
    await next_frame(writer), await next_frame(writer)  # its ack and its broadcast
    await reader.disconnect()  # the connection drops
    for n in (1, 2, 3):
        await writer.send_json_to({"type": "message.send", "client_id": f"w{n}", "body": f"perdido {n}"})
    frames = [await next_frame(writer) for _ in range(6)]
    acked_ids = [frame["id"] for frame in frames if frame["type"] == "ack"]
    history = await sync_to_async(_history_as)(alice, room, after=seen["id"])
    assert [m["body"] for m in history["messages"]] == ["perdido 1", "perdido 2", "perdido 3"]
    assert [m["id"] for m in history["messages"]] == acked_ids
    await writer.disconnect()


async def test_a_read_frame_moves_the_read_position(layer, room, alice, bruno):
    posted = await sync_to_async(services.message_post)(room_id=room.pk, by=bruno, body="Hola")
    socket = await join(alice, room)
    await socket.send_json_to({"type": "read", "id": posted.message.pk})
    await socket.send_json_to({"type": "ping"})
    assert await next_frame(socket) == {"type": "pong"}
    membership = await sync_to_async(Membership.objects.get)(user=alice)
    assert membership.last_read_message_id == posted.message.pk
    await socket.disconnect()


# Two daphne-like processes over Redis

LISTENER = textwrap.dedent(
    """
    import asyncio, json, os, sys
    import django
    django.setup()
    from channels.testing import WebsocketCommunicator
    from django.contrib.auth import get_user_model
    from chat.consumers import RoomConsumer

    async def main():
        user = await asyncio.to_thread(get_user_model().objects.get, pk=int(sys.argv[1]))
        communicator = WebsocketCommunicator(RoomConsumer.as_asgi(), "/ws/chat/%s/" % sys.argv[2])
        communicator.scope["user"] = user
        communicator.scope["url_route"] = {"kwargs": {"room_id": int(sys.argv[2])}}
        connected, _ = await communicator.connect(timeout=10)
        frame = await communicator.receive_json_from(timeout=10)  # own presence
        print("READY" if connected and frame["type"] == "presence" else "REFUSED", flush=True)
        frame = await communicator.receive_json_from(timeout=15)
        while frame["type"] == "presence":
            frame = await communicator.receive_json_from(timeout=15)
        print(json.dumps(frame), flush=True)
        await communicator.disconnect()

    asyncio.run(main())
    """
)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{db.get('USER')}{password}@" if db.get("USER") else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def test_a_room_message_posted_in_this_process_reaches_a_member_connected_to_another(
    room, alice, bruno, settings, tmp_path
):
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": prefix},
        }
    }
    reset_channel_layers()
    script = tmp_path / "room_listener.py"
    script.write_text(LISTENER)
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "CHANNEL_PREFIX": prefix,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "cooperanet.settings.test",
    }
    child = subprocess.Popen(
        [sys.executable, str(script), str(bruno.pk), str(room.pk)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "READY", child.stderr.read() if child.poll() else ""
        posted = services.message_post(room_id=room.pk, by=alice, body="Corte de agua en el sector")
        out, err = child.communicate(timeout=20)
    finally:
        child.kill()
        reset_channel_layers()
    assert child.returncode == 0, err
    frame = json.loads(out.strip().splitlines()[-1])
    assert (frame["type"], frame["id"], frame["body"], frame["author"]) == (
        "message",
        posted.message.pk,
        "Corte de agua en el sector",
        "Alicia R.",
    )
    assert "alicia@example.cl" not in out
