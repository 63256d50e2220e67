"""Presence is sent to a room at most once per interval per process: n people joining cost about n
frames per member over the interval, not one frame per join for everyone (n² in all)."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from tests.chat.room_consumer_helpers import _member, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

JOINERS = 6


async def _presence_frames(communicator, *, quiet: float) -> list[int]:
    """Every presence count the socket hears until it has been quiet for `quiet` seconds."""
    counts = []
    while not await communicator.receive_nothing(timeout=quiet):
        frame = await communicator.receive_json_from(timeout=1)
        assert frame["type"] == "presence"
        counts.append(frame["count"])
    return counts


async def test_people_joining_together_are_announced_in_few_frames(layer, room, settings):
    settings.CHAT_PRESENCE_INTERVAL = 1.0
    members = [await sync_to_async(_member)(room) for _ in range(JOINERS)]
    sockets = []
    for user in members:
        communicator, accepted = await open_socket(user, room)
        assert accepted
        sockets.append(communicator)

    heard = await asyncio.gather(*(_presence_frames(communicator, quiet=1.5) for communicator in sockets))

    # Sent on every join, the first to join would hear 1, 2, … 6; within an interval the joins share
    # one frame, and everyone ends on the full count.
    assert len(heard[0]) < JOINERS, heard
    assert all(counts and counts[-1] == JOINERS for counts in heard), heard
    assert sum(len(counts) for counts in heard) < JOINERS * (JOINERS + 1) // 2, heard
    for communicator in sockets:
        await communicator.disconnect()


async def test_the_count_follows_people_leaving(layer, room, settings):
    settings.CHAT_PRESENCE_INTERVAL = 0.2
    first_user, second_user = [await sync_to_async(_member)(room) for _ in range(2)]
    first, _ = await open_socket(first_user, room)
    assert await _presence_frames(first, quiet=0.6) == [1]
    second, _ = await open_socket(second_user, room)
    assert await _presence_frames(first, quiet=0.6) == [2]
    await second.disconnect()
    assert await _presence_frames(first, quiet=0.6) == [1]
    await first.disconnect()


async def test_a_flush_whose_layer_fails_is_logged_and_the_next_change_sends_again(room, settings, caplog):
    from chat import presence

    settings.CHAT_PRESENCE_INTERVAL = 0

    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis gone")

    class Layer:
        sent = []

        async def group_send(self, group, message):
            self.sent.append((group, message))

    presence.presence_changed(room.pk, BrokenLayer())
    await asyncio.sleep(0.05)
    assert "presence flush failed" in caplog.text
    working = Layer()
    presence.presence_changed(room.pk, working)
    await asyncio.sleep(0.05)
    assert [message["type"] for _group, message in working.sent] == ["chat.presence"]
