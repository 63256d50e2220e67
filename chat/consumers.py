"""Websocket consumers. The notification socket is the first; chat rooms and live workshops come later."""

import json
import math
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from chat import groups

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

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error("binary_not_supported")
            return
        if len(text_data) > MAX_FRAME_CHARS:
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


class NotificationConsumer(StrictJsonConsumer):
    """Per-user notification socket at /ws/notifications/.

    Frames out: {"type": "notification", "kind", "title", "body", "url"} and
    {"type": "incident_status", "folio", "status", "status_label"}; {"type": "pong"} answers {"type": "ping"}.
    Frames in: {"type": "ping"}. Anonymous connections are refused at the handshake.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.joined = [groups.user_group(user.pk)]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_type")

    # layer events
    async def notify(self, event):
        await self.send_json(
            {"type": "notification", **{k: event.get(k, "") for k in ("kind", "title", "body", "url")}}
        )

    async def incident_status(self, event):
        await self.send_json(
            {"type": "incident_status", **{k: event[k] for k in ("folio", "status", "status_label")}}
        )


class IncidentTrackingConsumer(StrictJsonConsumer):
    """Live status of one incident's tracking page at /ws/incidents/<folio>/[?s=<secret>].

    Frames out: {"type": "incident_status", "folio", "status", "status_label"} and {"type": "pong"}.
    Only the public status crosses this socket. The handshake is refused when the viewer may not see
    the incident (sensitive without its secret, unknown folio), exactly as the tracking page answers 404.
    """

    async def connect(self):
        folio = self.scope["url_route"]["kwargs"]["folio"]
        secret = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("s", [None])[0]
        incident_id = await database_sync_to_async(_trackable_incident_id)(
            folio, self.scope.get("user"), secret
        )
        if incident_id is None:
            await self.close()
            return
        self.group = groups.incident_group(incident_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_type")

    async def incident_status(self, event):
        await self.send_json(
            {"type": "incident_status", **{k: event[k] for k in ("folio", "status", "status_label")}}
        )


def _trackable_incident_id(folio: str, user, secret: str | None) -> int | None:
    from django.contrib.auth.models import AnonymousUser

    from workflows.selectors import incident_for_tracking

    tracked = incident_for_tracking(folio=folio[:20], user=user or AnonymousUser(), secret=secret)
    return tracked.incident.pk if tracked else None
