"""The default cache read from websocket consumers without Django's per-task objects or thread hops.

Why not `django.core.cache.cache` and its `a…` methods in a consumer:
- `cache` is per asyncio task (asgiref Local): every socket builds its own cache object, and with Redis its
  own connection pool, so each handshake would open a new Redis connection, held while the socket is open;
- Django's `aget`, `aget_many`… run the sync call with `thread_sensitive=True`, i.e. on the single thread
  that also runs every consumer's database queries (and `aget_many` makes one such trip per key);
- a hop to any thread waits for the GIL held by a busy event loop: measured with 5,000 open sockets, it
  added tens of ms to a handshake.

So `get_many` reads Redis with redis-py's asyncio client on the event loop itself (one MGET, the keys and
values in Django's own format, so the sync `cache` writes what it reads). Other backends (LocMemCache in
development and tests) are called on an executor thread through one object shared by the process (cache
backends are thread-safe).
"""

import asyncio
import re
import weakref

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed

_shared: dict = {}
_async_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, object]" = weakref.WeakKeyDictionary()


def shared_cache():
    """The process's own object for the default cache (rebuilt when a test overrides CACHES)."""
    if DEFAULT_CACHE_ALIAS not in _shared:
        _shared[DEFAULT_CACHE_ALIAS] = caches.create_connection(DEFAULT_CACHE_ALIAS)
    return _shared[DEFAULT_CACHE_ALIAS]


def _forget(*, setting, **kwargs):
    if setting == "CACHES":
        _shared.clear()
        _async_clients.clear()


setting_changed.connect(_forget, dispatch_uid="chat-process-cache")


def _async_client():
    """redis-py's asyncio client for this event loop, on the server Django's RedisCache writes to."""
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        import redis.asyncio

        params = settings.CACHES[DEFAULT_CACHE_ALIAS]
        location = params["LOCATION"]
        servers = re.split("[;,]", location) if isinstance(location, str) else list(location)
        # As RedisCacheClient: the first server is the one written to; the OPTIONS are connection options.
        options = {
            k: v
            for k, v in params.get("OPTIONS", {}).items()
            if k not in ("pool_class", "parser_class", "serializer")
        }
        # A Redis that hangs must not hold handshakes until daphne drops them: the caller then asks the
        # database instead.
        options.setdefault("socket_timeout", 2)
        options.setdefault("socket_connect_timeout", 2)
        client = redis.asyncio.Redis.from_url(servers[0], **options)
        _async_clients[loop] = client
    return client


async def get_many(keys: list[str]) -> dict:
    """As `cache.get_many(keys)`, awaited without leaving the event loop when the cache is Redis."""
    backend = shared_cache()
    if not isinstance(backend, RedisCache):
        return await sync_to_async(backend.get_many, thread_sensitive=False)(keys)
    made = [backend.make_and_validate_key(key) for key in keys]
    values = await _async_client().mget(made)
    loads = backend._cache._serializer.loads  # the serializer the backend writes with (ints raw, else pickle)
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}
