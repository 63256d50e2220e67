"""Every channel-layer group name and every event payload that crosses the layer, built in one place.

Group names come from integer ids only, never from text a user typed (Channels allows ASCII letters,
digits and `-_.` under 100 characters).
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{int(user_id)}"


def incident_group(incident_id: int) -> str:
    return f"incident.{int(incident_id)}"


def room_group(room_id: int) -> str:
    return f"room.{int(room_id)}"


def neighbourhood_group(neighbourhood_id: int) -> str:
    return f"neighbourhood.{int(neighbourhood_id)}"


def notification_event(*, kind: str, title: str, body: str = "", url: str = "") -> dict:
    """A notification for one person's notification socket (handler: `notify`)."""
    return {"type": "notify", "kind": kind, "title": title, "body": body, "url": url}


def incident_status_event(*, folio: str, status: str, status_label: str) -> dict:
    """An incident's new status, for its tracking page and its reporter (handler: `incident_status`)."""
    return {"type": "incident.status", "folio": folio, "status": status, "status_label": status_label}


def send_now(group: str, event: dict) -> None:
    """Send from sync code immediately (use `send_on_commit` inside a transaction)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def send_on_commit(group: str, event: dict) -> None:
    """Send after the surrounding transaction commits, so nobody hears of a rolled-back change."""
    transaction.on_commit(lambda: send_now(group, event))


# Chat rooms. Every payload below carries what any member may see: a display name, never an e-mail,
# phone or username that looks like one. Hidden messages are never put in a `chat.message` event.


def author_display_name(user) -> str:
    """The name members see: first name and last initial, else a username that is not contact data."""
    if user is None:
        return "—"
    first = (user.first_name or "").strip()
    last = (user.last_name or "").strip()
    if first:
        return f"{first} {last[0]}." if last else first
    username = user.get_username() or ""
    digits = sum(ch.isdigit() for ch in username)
    if username and "@" not in username and digits < 6:
        return username
    return f"Vecino/a {int(user.pk)}"


def message_payload(message) -> dict:
    """The public shape of one message, as the websocket and the history JSON send it."""
    return {
        "id": int(message.pk),
        "room": int(message.room_id),
        "author": author_display_name(message.author),
        "author_id": int(message.author_id) if message.author_id else None,
        "body": message.body,
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "photos": [photo_payload(photo) for photo in message.photos.all()],
        "location": (
            {"lat": message.latitude, "lon": message.longitude} if message.latitude is not None else None
        ),
    }


def photo_payload(photo) -> dict:
    """A message photo's addresses; `chat:message_photo` checks the viewer's membership on each request."""
    from django.urls import reverse

    return {
        "uid": str(photo.uid),
        "url": reverse("chat:message_photo", args=[photo.uid]),
        "thumbnail": reverse("chat:message_photo_thumbnail", args=[photo.uid]),
        "width": photo.width,
        "height": photo.height,
    }


def chat_message_event(message) -> dict:
    """A new message in a room (handler: `chat_message`)."""
    return {"type": "chat.message", "message": message_payload(message)}


def chat_message_edited_event(message) -> dict:
    """A message's new text (handler: `chat_message_edited`)."""
    return {
        "type": "chat.message_edited",
        "id": int(message.pk),
        "body": message.body,
        "edited_at": message.edited_at.isoformat(),
    }


def chat_message_deleted_event(*, message_id: int) -> dict:
    """A message its author deleted (handler: `chat_message_deleted`)."""
    return {"type": "chat.message_deleted", "id": int(message_id)}


def chat_message_hidden_event(*, message_id: int, reason: str) -> dict:
    """A message hidden by moderation; consumers pass the reason to moderators only."""
    return {"type": "chat.message_hidden", "id": int(message_id), "reason": reason}


def chat_presence_event(*, count: int) -> dict:
    """How many people have the room open (handler: `chat_presence`)."""
    return {"type": "chat.presence", "count": max(int(count), 0)}


def chat_member_removed_event(*, user_id: int) -> dict:
    """A member was removed: their open sockets close (handler: `chat_member_removed`)."""
    return {"type": "chat.member_removed", "user_id": int(user_id)}


def chat_member_muted_event(*, user_id: int, until: str) -> dict:
    """A member was muted until an ISO time; only their sockets say so (handler: `chat_member_muted`)."""
    return {"type": "chat.member_muted", "user_id": int(user_id), "until": until}


def chat_member_unmuted_event(*, user_id: int) -> dict:
    """A member's mute was lifted early; only their sockets say so (handler: `chat_member_unmuted`)."""
    return {"type": "chat.member_unmuted", "user_id": int(user_id)}


def chat_message_restored_event(message) -> dict:
    """A hidden message shown again (an appeal reverted the hide); handler: `chat_message_restored`."""
    return {"type": "chat.message_restored", "message": message_payload(message)}


def chat_alert_event(alert) -> dict:
    """An authority's alert, pinned in every room it was sent to (handler: `chat_alert`)."""
    return {
        "type": "chat.alert",
        "alert": {
            "id": int(alert.pk),
            "kind": alert.kind,
            "kind_label": str(alert.get_kind_display()),
            "title": alert.title,
            "body": alert.body,
            "created_at": alert.created_at.isoformat(),
            "ends_at": alert.ends_at.isoformat(),
        },
    }


def incident_card_payload(incident) -> dict:
    """The public face of an incident shared in a room: folio, category, status; never who reported it."""
    from django.urls import reverse

    return {
        "incident_id": int(incident.pk),
        "folio": incident.folio,
        "category": str(incident.category.display_name),
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "supporters_count": int(incident.supporters_count),
        "url": reverse("portal:incident_detail", args=[incident.folio]),
    }


def chat_incident_card_event(card: dict) -> dict:
    """An incident shared in a room (handler: `chat_incident_card`); the room then hears its status."""
    return {"type": "chat.incident_card", "card": card}


def send_on_commit_quietly(group: str, event: dict) -> None:
    """Like `send_on_commit`, but a channel layer that is down is logged, not raised.

    The change is already committed and clients resync from the database when they reconnect, so a
    broken broadcast must not turn a saved message or moderation step into an error for its author.
    """

    def send():
        try:
            send_now(group, event)
        except Exception:  # the layer's own errors vary (Redis, connection, timeouts)
            logger.warning("chat broadcast to %s failed; clients resync on reconnect", group, exc_info=True)

    transaction.on_commit(send)
