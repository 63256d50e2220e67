"""The Redis cache shares one client, and one connection pool, per process (cooperanet.cache): a request on
a thread of its own no longer opens a new connection to Redis."""

import os
import threading
import uuid

import pytest
from django.core.cache import caches

from cooperanet.cache import ProcessRedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: set REDIS_URL")


def backend(prefix="t"):
    return ProcessRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


def in_thread(function):
    result = []
    thread = threading.Thread(target=lambda: result.append(function()))
    thread.start()
    thread.join()
    return result[0]


def test_cache_objects_of_different_threads_share_one_client_and_pool():
    here = backend()
    there = in_thread(backend)
    key = f"shared-{uuid.uuid4().hex}"

    here.set(key, {"n": 1}, 30)
    assert in_thread(lambda: there.get(key)) == {"n": 1}
    assert here._cache is there._cache
    assert len(here._cache._pools) == 1
    here.delete(key)


def test_prefixes_stay_per_backend_object():
    key = f"prefixed-{uuid.uuid4().hex}"
    first, second = backend("a"), backend("b")
    first.set(key, "a", 30)
    assert second.get(key) is None and first.get(key) == "a"
    first.delete(key)


def test_threads_asking_for_the_pool_at_once_get_the_same_one():
    client = ProcessRedisCache(REDIS_URL, {"OPTIONS": {"socket_timeout": 3}})._cache  # a client of its own
    client._pools.clear()
    start = threading.Barrier(8)
    pools = []

    def ask():
        start.wait()
        pools.append(client._get_connection_pool(write=True))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(pool) for pool in pools}) == 1


def test_the_project_cache_is_the_shared_one():
    assert isinstance(caches["default"], ProcessRedisCache)
