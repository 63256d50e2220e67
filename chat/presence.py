"""How many distinct people have a chat room open, and how the room hears of it.

The count lives in the shared cache so every daphne process agrees. It is approximate by design: a
process that dies without disconnecting leaves its count until the keys expire.

The room hears the count at most once per `CHAT_PRESENCE_INTERVAL` seconds per process. Sending it on
every connect and disconnect cost n²/2 frames when n people joined (a whole neighbourhood alerted at
once: 500 members, 125,000 frames, a minute of a process's fan-out). Now a join or a leave only marks
the room; the first mark starts a timer, and when it fires the process reads the count and sends one
frame, which the people who just joined hear too (they are in the group by then).
"""

import asyncio
import logging

from django.conf import settings
from django.core.cache import cache

from chat import groups

logger = logging.getLogger(__name__)

PRESENCE_TTL = 12 * 3600

# room id → the pending flush of this process (one per room at most); the set keeps running flushes
# referenced (the event loop holds tasks only weakly).
_pending: dict[int, asyncio.Task] = {}
_running: set[asyncio.Task] = set()


def _room_key(room_id: int) -> str:
    return f"chat:presence:{room_id}"


async def presence_enter(room_id: int, user_id: int) -> int:
    """Count one more open socket of this person; the room's count of distinct people after it."""
    room_key = _room_key(room_id)
    if await _incr(f"{room_key}:{user_id}") == 1:
        return await _incr(room_key)
    return await cache.aget(room_key, 0)


async def presence_leave(room_id: int, user_id: int) -> int:
    room_key = _room_key(room_id)
    if await _decr(f"{room_key}:{user_id}") == 0:
        return await _decr(room_key)
    return await cache.aget(room_key, 0)


def presence_changed(room_id: int, channel_layer) -> None:
    """Tell the room its count soon: at most one frame per room per interval from this process."""
    loop = asyncio.get_running_loop()
    pending = _pending.get(room_id)
    if pending is not None and not pending.done() and pending.get_loop() is loop:
        return  # the pending flush reads the count when it fires, this change included
    task = loop.create_task(_flush(room_id, channel_layer))
    _pending[room_id] = task
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _flush(room_id: int, channel_layer) -> None:
    await asyncio.sleep(settings.CHAT_PRESENCE_INTERVAL)
    # Unmark before reading: a change from now on schedules the next flush instead of being lost.
    _pending.pop(room_id, None)
    try:
        count = await cache.aget(_room_key(room_id), 0)
        await channel_layer.group_send(groups.room_group(room_id), groups.chat_presence_event(count=count))
    except Exception:  # the layer or the cache failed: the next change sends the count again
        logger.info("chat room %s: presence flush failed", room_id, exc_info=True)


async def _incr(key: str) -> int:
    if await cache.aadd(key, 1, timeout=PRESENCE_TTL):
        return 1
    try:
        return await cache.aincr(key)
    except ValueError:
        await cache.aset(key, 1, timeout=PRESENCE_TTL)
        return 1


async def _decr(key: str) -> int:
    try:
        value = await cache.adecr(key)
    except ValueError:
        return 0
    if value < 0:
        await cache.aset(key, 0, timeout=PRESENCE_TTL)
        return 0
    return value
