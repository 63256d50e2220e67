"""The neighbourhood chat room socket at /ws/chat/<room_id>/."""

import logging

from channels.db import database_sync_to_async
from django.utils.translation import gettext_lazy

from chat import groups, services
from chat.consumers.base import ERROR_DETAILS, StrictJsonConsumer
from chat.models import MESSAGE_MAX_CHARS
from chat.presence import presence_changed, presence_enter, presence_leave
from chat.selectors import room_for_member, shared_incident_ids
from chat.services.messages import CLIENT_ID

logger = logging.getLogger(__name__)

# Application close code for "you may not be here" (anonymous, not a member, removed): clients stop
# retrying. Any other close is retryable: 4503 says the channel layer (Redis) failed, 1006 a network cut.
CLOSE_NOT_MEMBER = 4403
CLOSE_LAYER_DOWN = 4503
ROOM_FRAME_CHARS = 16 * 1024  # a 4000-character message fits; daphne's own frame limit is above this

# The `detail` of this socket's error frames; room.js shows them too. Lazy: each person's language.
ROOM_ERROR_TEXTS = {
    **ERROR_DETAILS,
    "too_long": gettext_lazy("El mensaje es demasiado largo."),
    "rate_limited": gettext_lazy("Está enviando muy rápido. Espere unos segundos."),
    "muted": gettext_lazy("Un moderador lo silenció por un tiempo: puede leer, pero no escribir."),
    "not_member": gettext_lazy("Ya no participa en esta sala."),
    "removed": gettext_lazy("Fue retirado de esta sala por moderación."),
    "empty": gettext_lazy("Escriba un mensaje antes de enviarlo."),
    "invalid_text": gettext_lazy("El texto tiene caracteres no válidos."),
    "not_allowed": gettext_lazy("No puede hacer eso."),
    "not_found": gettext_lazy("El mensaje ya no existe."),
}


class RoomConsumer(StrictJsonConsumer):
    """One member's connection to one chat room.

    Frames in (JSON text):
      {"type": "message.send", "client_id": "<1-64 of A-Za-z0-9_->", "body": "<≤ 4000 chars>"}
      {"type": "message.edit", "id": <int>, "body": "…"}    {"type": "message.delete", "id": <int>}
      {"type": "read", "id": <int>}  (read position)         {"type": "ping"}
    Frames out:
      {"type": "ack", "client_id", "id"}  stored; resending the same client_id gives the same id
      {"type": "message", "id", "room", "author", "author_id", "body", "created_at", "edited", "photos",
       "location"[, "client_id"]}  photos and a location are sent over HTTP (views.message_send)
      {"type": "message.edited", "id", "body", "edited_at"}   {"type": "message.deleted", "id"}
      {"type": "message.hidden", "id"[, "reason"]}  moderators get the reason; members just remove it
      {"type": "message.restored", <as "message">}  a hidden message shown again (an appeal reverted it)
      {"type": "presence", "count"}  people with the room open   {"type": "muted", "until"}  to the muted
      {"type": "unmuted"}  to the member whose mute was lifted early
      {"type": "alert", "id", "kind", "kind_label", "title", "body", "created_at", "ends_at"}  pinned
      {"type": "incident", "incident_id", "shared_id", "folio", "category", "status", "status_label",
       "supporters_count", "url"}  a shared incident's card   {"type": "incident_status", "folio", "status",
       "status_label"}  its status changed
      {"type": "pong"}   {"type": "error", "code", "detail"[, "client_id" | "id"]}  the socket stays open;
      `detail` is the explanation in the person's language
    Error codes: invalid_json, invalid_frame, frame_too_large, binary_not_supported, unknown_type, too_long,
    empty, invalid_text, rate_limited, muted, not_member, removed, not_found, not_allowed, invalid.

    Incident coordination rooms speak the same protocol; access is asked of `workflows` on every connect
    and every write (auditors read: their writes get `not_allowed`).

    Access: the membership check runs before anything else. Refused connections (anonymous, not an active
    member, closed room) are accepted and closed at once with code 4403, because a handshake refused
    before acceptance reaches a browser as a bare 1006 that it cannot tell from a network failure. Such a
    socket joins no group and hears nothing. The origin is checked earlier (AllowedHostsOriginValidator).

    Order: services store first and broadcast to the room group after the commit; the sender's ack
    follows the stored row. A client that lost the socket fetches `?after=<last id>` over HTTP, then
    `?changed_since=<synced_at>` for the edits, deletions, hides and restores it missed.

    Channel layer failure (Redis gone): the socket is closed with 4503 instead of crashing, so the client
    reconnects with backoff and resyncs from the database, which never depended on the layer.
    """

    max_frame_chars = ROOM_FRAME_CHARS

    async def __call__(self, scope, receive, send):
        self._accepted = False
        try:
            await super().__call__(scope, receive, send)
        except Exception:  # the layer's errors vary (redis ConnectionError, OSError, timeouts)
            logger.warning("chat room socket: channel layer failed; closing with 4503", exc_info=True)
            try:
                if not self._accepted:
                    # Accept first so the browser sees the retryable code, not a bare handshake failure.
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_LAYER_DOWN})
            except Exception:  # the client may be gone already
                logger.info("chat room socket: could not send the 4503 close", exc_info=True)
            await self.disconnect(CLOSE_LAYER_DOWN)

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol=subprotocol, headers=headers)
        self._accepted = True

    # socket events

    async def connect(self):
        self.user = self.scope.get("user")
        room, incident_ids = await database_sync_to_async(_room_and_shared_incidents)(
            room_id=self.scope["url_route"]["kwargs"]["room_id"], user=self.user
        )
        if room is None:
            await self.accept()
            await self.close(code=CLOSE_NOT_MEMBER)
            return
        self.room_id = room.pk
        self.moderator = room.membership.can_moderate()
        self.group = groups.room_group(room.pk)
        # The status cards of incidents shared here update live: listen to those incidents too.
        self.incident_groups = {groups.incident_group(incident_id) for incident_id in incident_ids}
        for group in [self.group, *self.incident_groups]:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await presence_enter(self.room_id, self.user.pk)
        presence_changed(self.room_id, self.channel_layer)

    async def disconnect(self, code):
        if not hasattr(self, "group"):
            return
        try:
            for group in [self.group, *self.incident_groups]:
                await self.channel_layer.group_discard(group, self.channel_name)
            await presence_leave(self.room_id, self.user.pk)
            presence_changed(self.room_id, self.channel_layer)
        except Exception:  # the layer may be the reason we are disconnecting
            logger.info("chat room %s: presence update on disconnect failed", self.room_id, exc_info=True)

    error_details = ROOM_ERROR_TEXTS

    async def receive_json(self, content, **kwargs):
        handler = {
            "message.send": self.message_send,
            "message.edit": self.message_edit,
            "message.delete": self.message_delete,
            "read": self.read,
            "ping": self.ping,
        }.get(content["type"])
        if handler is None:
            await self.send_error("unknown_type")
            return
        try:
            await handler(content)
        except services.ChatRefused as refused:
            # Domain errors end here, in one place: a coded frame, the socket stays open.
            await self.send_error(refused.code, detail=refused.message, **_echo(content))

    # frames in

    async def message_send(self, content):
        client_id, body = content.get("client_id"), content.get("body")
        if not isinstance(body, str) or not isinstance(client_id, str) or not CLIENT_ID.fullmatch(client_id):
            await self.send_error("invalid_frame", **_echo(content))
            return
        if len(body) > MESSAGE_MAX_CHARS:
            await self.send_error("too_long", client_id=client_id)
            return
        result = await database_sync_to_async(services.message_post)(
            room_id=self.room_id, by=self.user, body=body, client_id=client_id
        )
        await self.send_json({"type": "ack", "client_id": client_id, "id": result.message.pk})

    async def message_edit(self, content):
        message_id, body = content.get("id"), content.get("body")
        if not _is_id(message_id) or not isinstance(body, str):
            await self.send_error("invalid_frame")
            return
        await database_sync_to_async(services.message_edit)(
            room_id=self.room_id, message_id=message_id, by=self.user, body=body
        )

    async def message_delete(self, content):
        message_id = content.get("id")
        if not _is_id(message_id):
            await self.send_error("invalid_frame")
            return
        await database_sync_to_async(services.message_delete)(
            room_id=self.room_id, message_id=message_id, by=self.user
        )

    async def read(self, content):
        if not _is_id(content.get("id")):
            await self.send_error("invalid_frame")
            return
        await database_sync_to_async(services.membership_mark_read)(
            room_id=self.room_id, by=self.user, message_id=content["id"]
        )

    async def ping(self, content):
        await self.send_json({"type": "pong"})

    # layer events (handlers named after groups.chat_*_event types)

    async def chat_message(self, event):
        await self.send_json({"type": "message", **_without_client_id(event["message"], self.user.pk)})

    async def chat_message_edited(self, event):
        await self.send_json({"type": "message.edited", **{k: event[k] for k in ("id", "body", "edited_at")}})

    async def chat_message_deleted(self, event):
        await self.send_json({"type": "message.deleted", "id": event["id"]})

    async def chat_message_hidden(self, event):
        frame = {"type": "message.hidden", "id": event["id"]}
        if self.moderator:
            frame["reason"] = event["reason"]
        await self.send_json(frame)

    async def chat_message_restored(self, event):
        await self.send_json(
            {"type": "message.restored", **_without_client_id(event["message"], self.user.pk)}
        )

    async def chat_presence(self, event):
        await self.send_json({"type": "presence", "count": event["count"]})

    async def chat_alert(self, event):
        await self.send_json({"type": "alert", **event["alert"]})

    async def chat_incident_card(self, event):
        card = event["card"]
        group = groups.incident_group(card["incident_id"])
        if group not in self.incident_groups:
            self.incident_groups.add(group)
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json({"type": "incident", **card})

    async def incident_status(self, event):
        # Same event as the tracking page hears: the public status only.
        await self.send_json(
            {"type": "incident_status", **{k: event[k] for k in ("folio", "status", "status_label")}}
        )

    async def chat_member_muted(self, event):
        if event["user_id"] == self.user.pk:
            await self.send_json({"type": "muted", "until": event["until"]})

    async def chat_member_unmuted(self, event):
        if event["user_id"] == self.user.pk:
            await self.send_json({"type": "unmuted"})

    async def chat_member_removed(self, event):
        if event["user_id"] == self.user.pk:
            await self.close(code=CLOSE_NOT_MEMBER)


def _room_and_shared_incidents(*, room_id: int, user):
    """The membership check and the room's shared incidents in one trip to Channels' database thread."""
    room = room_for_member(room_id=room_id, user=user)
    return room, (shared_incident_ids(room_id=room.pk) if room is not None else [])


def _without_client_id(message: dict, user_id: int) -> dict:
    """Only the author needs the client id, to match the ack."""
    if message.get("author_id") == user_id:
        return message
    return {k: v for k, v in message.items() if k != "client_id"}


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _echo(content: dict) -> dict:
    """What an error frame repeats of the frame it answers, so the client knows which one failed."""
    if isinstance(content.get("client_id"), str) and CLIENT_ID.fullmatch(content["client_id"]):
        return {"client_id": content["client_id"]}
    if _is_id(content.get("id")):
        return {"id": content["id"]}
    return {}
