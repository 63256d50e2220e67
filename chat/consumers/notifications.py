"""The notification socket of each signed-in person and the live status of an incident's tracking page."""

from urllib.parse import parse_qs

from chat import groups
from chat.consumers.base import StrictJsonConsumer
from chat.tracking_access import trackable_incident_id


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
    The decision is `workflows.selectors.incident_for_tracking`'s, answered from the shared cache when that
    needs no identity (chat.tracking_access): a burst of reconnections must not queue for the database.
    """

    async def connect(self):
        folio = self.scope["url_route"]["kwargs"]["folio"]
        secret = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("s", [None])[0]
        incident_id = await trackable_incident_id(folio, self.scope.get("user"), secret)
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
