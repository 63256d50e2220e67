"""Helpers for websocket tests through the real ASGI application."""

import os
import uuid

from channels.layers import channel_layers
from django.conf import settings

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def session_cookie_for(user) -> tuple[bytes, bytes]:
    """A Cookie header carrying a real session of `user` (what the browser would send)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return (
        b"cookie",
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode(),
    )


def redis_layer_settings() -> dict:
    """A Redis channel layer with a prefix of its own, so parallel runs never hear each other."""
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
        }
    }


def reset_channel_layers() -> None:
    channel_layers.backends.clear()
