"""Settings of the benchmark servers: production's shape (DEBUG off, PostgreSQL, Redis cache, queued tasks)
without TLS redirects, with the flood limits raised so the load measures the code, not the limiter.

The channel layer is chosen per run by BENCH_LAYER (memory | redis | pubsub) so the same consumers can be
measured on each layer; BENCH_PREFIX keeps the run's Redis keys apart from everything else.
"""

import os

from cooperanet.settings.base import *  # noqa: F403
from cooperanet.settings.base import LOGGING, REDIS_URL, REST_FRAMEWORK

SETTINGS_KIND = "bench"
DEBUG = False
SECRET_KEY = "bench-only-key-never-used-for-real-data-0123456789"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"

# Every request of the load comes from 127.0.0.1: the per-address limits would answer 429 after 20.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"incident_create": "100000000/s", "incident_support": "100000000/s"},
}
REPORT_FORM_RATE = "100000000/s"
CHAT_MESSAGE_RATE = (100_000_000, 1)

# Staff screens ask for TOTP two-factor once per session; the benchmark's agent is taken as verified.
COOPERANET_REQUIRE_2FA = False
# nginx serves the collected static files in production; here templates only need their URLs.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# As in production: background work is queued in PostgreSQL (nobody runs the worker during the bench).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

_PREFIX = os.environ.get("BENCH_PREFIX", "bench")
_LAYER = os.environ.get("BENCH_LAYER", "redis" if REDIS_URL else "memory")
if _LAYER == "memory":
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
elif _LAYER == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": _PREFIX},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": _PREFIX},
        }
    }
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cooperanet.cache.ProcessRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _PREFIX,
        }
    }

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
