"""The strict JSON base of every consumer: bad frames get an error frame, never a traceback."""

import json
import math

from channels.generic.websocket import AsyncJsonWebsocketConsumer

MAX_FRAME_CHARS = 4096


class StrictJsonDecodeError(ValueError):
    pass


def _reject_constant(name):
    raise StrictJsonDecodeError(name)


def strict_json_loads(text: str):
    """json.loads refusing NaN/Infinity and numbers that overflow to infinity (1e309)."""

    def parse_float(value):
        number = float(value)
        if not math.isfinite(number):
            raise StrictJsonDecodeError(value)
        return number

    return json.loads(text, parse_constant=_reject_constant, parse_float=parse_float)


class StrictJsonConsumer(AsyncJsonWebsocketConsumer):
    """JSON consumer that answers bad frames with an error frame instead of closing with a traceback."""

    max_frame_chars = MAX_FRAME_CHARS

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error("binary_not_supported")
            return
        if len(text_data) > self.max_frame_chars:
            await self.send_error("frame_too_large")
            return
        try:
            content = strict_json_loads(text_data)
        except (ValueError, RecursionError):
            await self.send_error("invalid_json")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("invalid_frame")
            return
        await self.receive_json(content, **kwargs)

    async def send_error(self, code: str):
        await self.send_json({"type": "error", "code": code})
