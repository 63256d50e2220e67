"""Django's Redis cache with one client, and so one connection pool, per process.

Django keeps a cache object per thread (per asyncio task under ASGI), and each object builds its own redis-py
pool. Under daphne every HTTP request runs its sync code in a thread of its own (asgiref's
ThreadSensitiveContext), so every request that touched the cache — a rate limit, a cached fragment such as
viewflow's avatar, the tracking page — opened a new TCP connection to Redis and dropped it at the end
(measured: 1.05 new connections per task-list request). redis-py's pools are thread-safe, so the process
shares one client per server list and options; keys, prefixes and versions stay per backend object.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict = {}
_clients_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client, safe to share between threads: a pool is created once even when two threads ask for
    it at the same moment (Django's own client would create two and drop one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pools_lock = threading.Lock()

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        if index not in self._pools:
            with self._pools_lock:
                if index not in self._pools:
                    self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return self._pools[index]


class ProcessRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` whose client is shared by the whole process."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisCacheClient

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            if key not in _clients:
                _clients[key] = self._class(self._servers, **self._options)
            return _clients[key]
