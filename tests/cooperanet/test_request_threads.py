"""HTTP requests reuse a few long-lived threads (cooperanet.request_threads), so their database connections
can outlive a request; websockets pass through untouched; past `keep` at once, the extra threads close their
connections and end."""

import asyncio
import threading

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.db import connection

from cooperanet import request_threads
from cooperanet.request_threads import KeptRequestThreads


def recording_app(seen: list, *, started: asyncio.Event | None = None, release: asyncio.Event | None = None):
    """An ASGI app whose 'request' runs sync code as Django's handler does (thread_sensitive=True)."""

    async def app(scope, receive, send):
        seen.append(await sync_to_async(threading.get_ident, thread_sensitive=True)())
        if started is not None:
            started.set()
        if release is not None:
            await release.wait()

    return app


async def test_requests_one_after_another_run_on_the_same_kept_thread():
    seen = []
    app = KeptRequestThreads(recording_app(seen), keep=4)
    for _ in range(3):
        await app({"type": "http"}, None, None)
    assert len(set(seen)) == 1 and seen[0] != threading.get_ident()
    assert app.idle_threads == 1


async def test_requests_at_once_each_get_a_thread_and_only_keep_of_them_stay(monkeypatch):
    closed = []
    monkeypatch.setattr(
        request_threads, "close_thread_connections", lambda: closed.append(threading.get_ident())
    )
    seen, release = [], asyncio.Event()
    app = KeptRequestThreads(recording_app(seen, release=release), keep=2)

    requests = [asyncio.create_task(app({"type": "http"}, None, None)) for _ in range(4)]
    while len(seen) < 4:
        await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(*requests)

    assert len(set(seen)) == 4  # one thread each while they overlap
    assert app.idle_threads == 2
    for _ in range(50):  # the two extra threads close their connections before they end
        if len(closed) == 2:
            break
        await asyncio.sleep(0.02)
    assert len(closed) == 2 and set(closed) <= set(seen)


async def test_websockets_and_keep_zero_are_passed_through():
    seen = []
    app = KeptRequestThreads(recording_app(seen), keep=4)
    await app({"type": "websocket"}, None, None)
    assert app.idle_threads == 0

    off = KeptRequestThreads(recording_app(seen), keep=0)
    await off({"type": "http"}, None, None)
    assert off.idle_threads == 0 and len(seen) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("keep", [1, 0])
async def test_a_kept_thread_keeps_its_database_connection(keep):
    """The point of it all: the second request finds the first one's connection open (keep=0, as Django
    alone: a new thread per request, so a new connection)."""

    def backend_connection():
        connection.ensure_connection()
        return connection.connection

    async def app(scope, receive, send):
        async with ThreadSensitiveContext():  # as Django's ASGIHandler, around every request
            seen.append(await sync_to_async(backend_connection, thread_sensitive=True)())

    seen = []
    kept = KeptRequestThreads(app, keep=keep)
    await kept({"type": "http"}, None, None)
    await kept({"type": "http"}, None, None)
    try:
        assert (seen[0] is seen[1]) is bool(keep)
    finally:
        for opened in {id(c): c for c in seen}.values():
            opened.close()
