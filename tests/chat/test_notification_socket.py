"""The per-user notification socket through the real ASGI app, on the in-memory layer and on Redis."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from chat import groups
from chat.consumers.base import ERROR_DETAILS
from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, redis_layer_settings, reset_channel_layers, session_cookie_for
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    """Run each test once on the in-memory layer and once on a real Redis layer."""
    if request.param == "redis":
        settings.CHANNEL_LAYERS = redis_layer_settings()
    reset_channel_layers()
    yield request.param
    reset_channel_layers()


async def connect_as(user, *, origin=ORIGIN):
    headers = [origin]
    if user is not None:
        headers.append(await sync_to_async(session_cookie_for)(user))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_signed_in_user_receives_a_notification_sent_to_their_group(layer):
    user = await sync_to_async(UserFactory)()
    communicator, connected = await connect_as(user)
    assert connected
    await get_channel_layer().group_send(
        groups.user_group(user.pk), groups.notification_event(kind="test", title="Hola", body="Mensaje")
    )
    frame = await communicator.receive_json_from(timeout=3)
    assert frame == {"type": "notification", "kind": "test", "title": "Hola", "body": "Mensaje", "url": ""}
    await communicator.disconnect()


async def test_notification_for_another_user_is_not_delivered(layer):
    alice, bruno = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    communicator, connected = await connect_as(alice)
    assert connected
    await get_channel_layer().group_send(
        groups.user_group(bruno.pk), groups.notification_event(kind="x", title="t")
    )
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_anonymous_connection_is_refused(layer):
    communicator, connected = await connect_as(None)
    assert not connected


async def test_foreign_origin_is_refused(layer):
    user = await sync_to_async(UserFactory)()
    communicator, connected = await connect_as(user, origin=(b"origin", b"http://evil.example.com"))
    assert not connected


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid_json"),
        ('{"type": "ping", "n": NaN}', "invalid_json"),
        ('{"type": "ping", "n": 1e309}', "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"type": "shout"}', "unknown_type"),
        ("[" * 5000 + "]" * 5000, "frame_too_large"),
        ('{"type": ' + "[" * 1500 + "]" * 1500 + "}", "invalid_json"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(layer, frame, code):
    user = await sync_to_async(UserFactory)()
    communicator, connected = await connect_as(user)
    assert connected
    await communicator.send_to(text_data=frame)
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "error",
        "code": code,
        "detail": str(ERROR_DETAILS[code]),
    }
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}
    await communicator.disconnect()
