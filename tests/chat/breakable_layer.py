"""An in-memory channel layer a test can break, as Redis going away would break channels-redis."""

import asyncio

from channels.layers import InMemoryChannelLayer


class BreakableLayer(InMemoryChannelLayer):
    """Works until `break_now()`; from then on every call raises ConnectionError, and a consumer waiting
    on `receive` is woken by the failure (as a blocked BZPOPMIN is when its connection drops)."""

    broken_from_start = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._broken = asyncio.Event()
        if self.broken_from_start:
            self._broken.set()

    def break_now(self):
        self._broken.set()

    def _check(self):
        if self._broken.is_set():
            raise ConnectionError("Redis went away")

    async def receive(self, channel):
        self._check()
        getting = asyncio.ensure_future(super().receive(channel))
        breaking = asyncio.ensure_future(self._broken.wait())
        done, pending = await asyncio.wait({getting, breaking}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if getting in done:
            return getting.result()
        raise ConnectionError("Redis went away")

    async def group_add(self, group, channel):
        self._check()
        return await super().group_add(group, channel)

    async def group_send(self, group, message):
        self._check()
        return await super().group_send(group, message)

    async def send(self, channel, message):
        self._check()
        return await super().send(channel, message)


class BrokenLayer(BreakableLayer):
    broken_from_start = True
