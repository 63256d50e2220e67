"""Redis dies during a chat: acknowledged messages are stored, clients resync over HTTP, reporting goes on.

A private `redis-server` on a free port is started for the test and killed; the machine's shared Redis
(other tests use it) is never touched. Skipped when the redis-server binary is not installed.
"""

import shutil
import socket
import subprocess
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from chat.models import Message
from tests.chat.room_consumer_helpers import _history_as, _member, _room, join, next_frame

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("private redis-server did not start")


@pytest.fixture
def private_redis(settings):
    port = _free_port()
    process = _start_redis(port)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"], "prefix": f"fault-{port}"},
        }
    }
    channel_layers.backends.clear()
    yield process
    process.kill()
    process.wait(timeout=10)
    channel_layers.backends.clear()


async def test_messages_acknowledged_before_and_after_redis_dies_are_kept(private_redis):
    room = await sync_to_async(_room)("Barrio Centro")
    alice = await sync_to_async(_member)(room, first_name="Alicia")
    socket = await join(alice, room)

    await socket.send_json_to({"type": "message.send", "client_id": "antes", "body": "Antes del corte"})
    frames = [await next_frame(socket), await next_frame(socket)]
    first = next(frame for frame in frames if frame["type"] == "ack")

    private_redis.kill()
    private_redis.wait(timeout=10)

    # The message is stored and acknowledged; only its live broadcast is lost (logged, not raised).
    await socket.send_json_to({"type": "message.send", "client_id": "despues", "body": "Después del corte"})
    second = await next_frame(socket)
    assert second["type"] == "ack", second
    await socket.disconnect()  # the presence update fails quietly: Redis is gone

    stored = await sync_to_async(list)(Message.objects.order_by("pk").values_list("pk", flat=True))
    assert stored == [first["id"], second["id"]]  # no acknowledged message lost
    # A client that lost its socket resyncs over HTTP from its last known id.
    history = await sync_to_async(_history_as)(alice, room, after=0)
    assert [item["id"] for item in history["messages"]] == stored


def test_reporting_is_unaffected_while_the_channel_layer_is_down(private_redis, client):
    from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory

    private_redis.kill()
    private_redis.wait(timeout=10)
    NeighbourhoodFactory()
    category = SubSectionFactory()
    response = client.post(
        "/api/incidents/",
        {"category": category.slug, "description": "Poste caído", "latitude": -45.5712, "longitude": -72.0685},  # noqa: E501
        content_type="application/json",
    )
    assert response.status_code == 201
