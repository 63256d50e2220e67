"""Websocket consumers, one module per kind of socket; routing imports the public names from here."""

from chat.consumers.base import MAX_FRAME_CHARS, StrictJsonConsumer, strict_json_loads
from chat.consumers.notifications import IncidentTrackingConsumer, NotificationConsumer
from chat.consumers.rooms import CLOSE_NOT_MEMBER, RoomConsumer

__all__ = [
    "CLOSE_NOT_MEMBER",
    "MAX_FRAME_CHARS",
    "IncidentTrackingConsumer",
    "NotificationConsumer",
    "RoomConsumer",
    "StrictJsonConsumer",
    "strict_json_loads",
]
