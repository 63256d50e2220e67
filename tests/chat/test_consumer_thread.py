"""Channels' database thread keeps its connection (CONSUMER_CONN_MAX_AGE); per-request threads do not; a
socket without a session cookie is anonymous without a trip to the database thread."""

import pytest
from asgiref.sync import SyncToAsync, ThreadSensitiveContext, sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection, connections

from chat import consumer_thread
from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, reset_channel_layers, session_cookie_for
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)


def _live_connection():
    """The DB-API connection this thread's queries use (kept referenced, so identities are not reused)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.connection, consumer_thread.on_consumer_thread()


@pytest.fixture
def kept_connections(settings):
    settings.CONSUMER_CONN_MAX_AGE = 60
    yield
    settings.CONSUMER_CONN_MAX_AGE = 0
    # Close what the consumer thread kept, on that thread, so the test database can be dropped.
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)


async def test_the_consumer_thread_reuses_its_connection(kept_connections):
    first, on_thread = await database_sync_to_async(_live_connection)()
    second, _ = await database_sync_to_async(_live_connection)()
    assert on_thread
    assert first is second


async def test_the_consumer_thread_closes_after_each_call_when_turned_off(settings):
    settings.CONSUMER_CONN_MAX_AGE = 0
    first, _ = await database_sync_to_async(_live_connection)()
    second, _ = await database_sync_to_async(_live_connection)()
    assert first is not second


async def test_a_request_thread_does_not_keep_its_connection(kept_connections):
    # Django's ASGI handler runs each request's sync code in a ThreadSensitiveContext of its own.
    async with ThreadSensitiveContext():
        first, on_thread = await database_sync_to_async(_live_connection)()
    async with ThreadSensitiveContext():
        second, _ = await database_sync_to_async(_live_connection)()
    assert not on_thread
    assert first is not second


async def _connect(path: str, headers):
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


async def test_a_socket_without_a_session_cookie_is_anonymous_without_a_user_lookup(monkeypatch):
    reset_channel_layers()
    await sync_to_async(NeighbourhoodFactory)()
    incident = await sync_to_async(services.incident_report)(
        category=await sync_to_async(SubSectionFactory)(), description="Basura", address="Prat 1"
    )
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(session_cookie_for)(user)
    lookups = []
    original = consumer_thread.AuthMiddleware.resolve_scope

    async def counting(self, scope):
        lookups.append(scope["path"])
        return await original(self, scope)

    monkeypatch.setattr(consumer_thread.AuthMiddleware, "resolve_scope", counting)
    assert await _connect(f"/ws/incidents/{incident.folio}/", [ORIGIN])
    assert not await _connect("/ws/notifications/", [ORIGIN])  # anonymous: refused, as before
    assert not await _connect("/ws/notifications/", [ORIGIN, (b"cookie", b"sessionid=not-a-session")])
    assert lookups == ["/ws/notifications/"]  # only the socket with a cookie asked Channels
    assert await _connect("/ws/notifications/", [ORIGIN, cookie])
    reset_channel_layers()
