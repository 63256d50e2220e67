"""HTTP requests run their sync code on a few long-lived threads, so a database connection outlives a request.

Django's ASGI handler gives every request a thread of its own (a fresh asgiref ThreadSensitiveContext), and
Django's database connections belong to a thread: under daphne each request opened a new PostgreSQL connection
and closed it at the end — whatever CONN_MAX_AGE said, since a kept one would only leak with its thread (this
is why Django advises CONN_MAX_AGE=0 under ASGI). A new connection costs its set-up and a server process whose
catalog caches start cold: 10-15 ms of a task-list page on the benchmark machine.

`KeptRequestThreads` enters the request's context with an executor of its own (asgiref 3.13: the outermost
context wins, so Django's own is then a no-op), taken from a small stack of single-thread executors, and puts
it back when the request ends. Each kept thread keeps its connection as CONN_MAX_AGE and Django's own checks
say (health check, age, errors: `close_old_connections` at the start and end of each request). Past `keep`
requests at once, the extra executors serve one request, close their connections and end: at most `keep`
idle connections per process. Websockets are not touched (Channels has its own database thread).
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.db import connections


def close_thread_connections() -> None:
    """Close the calling thread's database connections (run on a thread about to end)."""
    connections.close_all()


class KeptRequestThreads:
    """ASGI middleware: HTTP requests on at most `keep` reused threads (plus short-lived ones past that)."""

    def __init__(self, app, *, keep: int):
        self.app = app
        self.keep = keep
        # Last in, first out: the thread used last has the connection most likely still open. Only the event
        # loop's thread touches the list, so it needs no lock.
        self._idle: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.keep <= 0:
            return await self.app(scope, receive, send)
        if self._idle:
            executor = self._idle.pop()
        else:
            executor = ThreadPoolExecutor(1, thread_name_prefix="http-request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                return await self.app(scope, receive, send)
        finally:
            if len(self._idle) < self.keep:
                self._idle.append(executor)
            else:
                executor.submit(close_thread_connections)
                executor.shutdown(wait=False)

    @property
    def idle_threads(self) -> int:
        return len(self._idle)
