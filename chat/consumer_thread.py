"""The database side of websocket handshakes: one kept connection for Channels' database thread, and no
database at all for the session of a socket that has no session cookie.

Channels runs every `database_sync_to_async` call of a process (consumers, AuthMiddleware's user lookup)
on ONE thread: asgiref's `SyncToAsync.single_thread_executor`. With `CONN_MAX_AGE=0` (production and the
benchmark: Django advises against persistent connections under ASGI) every such call opened and closed a
PostgreSQL connection, about half of a tracking handshake's database time.

Django's advice is about HTTP: sync views under ASGI run in a new thread per request, and a connection
kept by each of those threads is never reused nor closed. Channels' thread is one per process, for the
life of the process, so keeping *its* connection costs one connection per daphne process. Only that
thread's connections get a longer life (CONSUMER_CONN_MAX_AGE seconds); HTTP threads keep CONN_MAX_AGE.
Django's own checks still run around every call (channels' close_old_connections): a connection with
errors, left outside autocommit, or past its age is closed, and CONN_HEALTH_CHECKS pings it before reuse
after a database restart.
"""

import threading
import time

from asgiref.sync import SyncToAsync
from channels.auth import AuthMiddleware, CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


def on_consumer_thread() -> bool:
    """Whether this is Channels' database thread (the executor asgiref uses outside any request)."""
    # `_threads` is ThreadPoolExecutor's set of its workers; without it, nothing is kept (safe default).
    return threading.current_thread() in getattr(SyncToAsync.single_thread_executor, "_threads", ())


def keep_consumer_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: a connection opened on Channels' thread lives CONSUMER_CONN_MAX_AGE."""
    max_age = getattr(settings, "CONSUMER_CONN_MAX_AGE", 0)
    if not max_age or connection.close_at is None or not on_consumer_thread():
        return  # off, already persistent (CONN_MAX_AGE=None), or an HTTP/test thread
    connection.close_at = max(connection.close_at, time.monotonic() + max_age)


class SessionAuthMiddleware(AuthMiddleware):
    """Channels' AuthMiddleware, without the trip to the database thread when there is no session cookie.

    Channels' get_user would find no session key and answer AnonymousUser, after queueing on the
    database thread behind every other socket's queries. Anonymous sockets (the tracking page's) are
    the many; with a cookie, the lookup is Channels' own.
    """

    async def resolve_scope(self, scope):
        if not scope["session"].session_key:
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


def auth_middleware_stack(inner):
    """channels.auth.AuthMiddlewareStack with SessionAuthMiddleware."""
    return CookieMiddleware(SessionMiddleware(SessionAuthMiddleware(inner)))
