"""The chat room socket: alerts, shared incidents, resync after a drop, and two processes over Redis."""

import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from chat import services
from chat.models import Membership
from tests.chat.helpers import REDIS_URL, reset_channel_layers
from tests.chat.room_consumer_helpers import _history_as, _member, join, next_frame
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


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
