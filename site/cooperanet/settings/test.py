"""Test settings: dev plus a fast hasher, immediate background tasks and no outside calls.

DATABASE_URL and REDIS_URL still switch to PostgreSQL and Redis (CI runs both ways).
"""

import os
import re

from .dev import *  # noqa: F403
from .dev import CACHES, DATABASES, REDIS_URL, VAR_DIR

SETTINGS_KIND = "test"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Existing browser and view tests sign staff in without a second factor; tests/security turns it on.
COOPERANET_REQUIRE_2FA = False
MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
# One test database per test process, so two suites running at once (a developer and CI, or two
# pytest processes) never share one.
_RUN = os.getpid()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so live-server tests (daphne in a child process) share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-cooperanet-{_RUN}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_RUN}"}
# A connection kept by Channels' database thread would outlive the test and block dropping the test
# database; tests/chat/test_consumer_thread.py turns it on where it is tested.
CONSUMER_CONN_MAX_AGE = 0

if REDIS_URL:
    # Tests clear the cache (FLUSHDB): give it a database of its own so the channel layer's keys,
    # which a live server in another process is using, survive.
    _base = re.sub(r"/\d*$", "", REDIS_URL)
    # Keys of this test run only: two suites at once must not read each other's cached answers (the
    # tracking socket's access entries are keyed by folio, and folios repeat between test databases).
    # Through the environment, so the live servers a test starts share the run's keys (invalidation).
    _CACHE_PREFIX = os.environ.setdefault("COOPERANET_TEST_CACHE_PREFIX", f"test-{_RUN}")
    CACHES = {"default": {**CACHES["default"], "LOCATION": f"{_base}/15", "KEY_PREFIX": _CACHE_PREFIX}}

# Presence at once in tests (each join heard as it happens); tests/chat/test_presence_interval.py sets
# an interval where the coalescing is what is tested.
CHAT_PRESENCE_INTERVAL = 0
