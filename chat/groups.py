"""Every channel-layer group name and every event payload that crosses the layer, built in one place.

Group names come from integer ids only, never from text a user typed (Channels allows ASCII letters,
digits and `-_.` under 100 characters).
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


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
