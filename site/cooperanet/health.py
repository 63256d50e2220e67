"""Liveness and readiness: answers 200 when the database and the channel layer answer, 503 otherwise."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

CHANNEL_LAYER_TIMEOUT_SECONDS = 2.0


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not ready"; the reason goes to the log
        logger.exception("health: database check failed")
        return False


async def _round_trip() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.ping"})
    message = await layer.receive(channel)
    return message.get("type") == "health.ping"


def _channel_layer_ok() -> bool:
    """Send one message to a fresh channel and read it back, with a short timeout."""

    async def bounded():
        return await asyncio.wait_for(_round_trip(), CHANNEL_LAYER_TIMEOUT_SECONDS)

    try:
        return async_to_sync(bounded)()
    except Exception:
        logger.exception("health: channel layer check failed")
        return False


@never_cache
@require_GET
def health(request):
    checks = {"database": _database_ok(), "channel_layer": _channel_layer_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
