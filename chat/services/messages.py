"""Messages: post (idempotent per client id, rate-limited), edit, delete, read position.

Each write is saved first and broadcast after its transaction commits, so what members saw is stored.
"""

import math
import re
import time
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import groups
from chat.models import CLIENT_ID_MAX_CHARS, MESSAGE_MAX_PHOTOS, Membership, Message, MessagePhoto
from chat.services.common import ChatRefused, active_membership, clean_text
from workflows.services.photos import photo_files_remove, photo_files_write

CLIENT_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{CLIENT_ID_MAX_CHARS}}}")
DEFAULT_RATE = (10, 10)  # messages, seconds


class PostResult(NamedTuple):
    message: Message
    created: bool


def _rate() -> tuple[int, int]:
    limit, window = getattr(settings, "CHAT_MESSAGE_RATE", DEFAULT_RATE)
    return int(limit), max(int(window), 1)


def _over_rate_limit(user_id: int) -> bool:
    """Count one message in the user's current window (the shared cache, so every daphne process agrees)."""
    limit, window = _rate()
    key = f"chat:rate:{int(user_id)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 1):
        return 1 > limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit


def _refuse_if_muted(membership: Membership) -> None:
    if membership.is_muted():
        until = timezone.localtime(membership.muted_until).strftime("%d-%m-%Y %H:%M")
        raise ChatRefused("muted", _("Está silenciado en esta sala hasta el %(until)s.") % {"until": until})


def _checked_location(latitude, longitude) -> tuple[float | None, float | None]:
    """Both or neither; numbers inside the comuna (a report made from the message must be placeable)."""
    if latitude is None and longitude is None:
        return None, None
    from cms_content.geo import in_comuna

    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon)) or not in_comuna(lat, lon):
        raise ChatRefused("bad_location", _("La ubicación no es válida o está fuera de la comuna."))
    return lat, lon


def _attach_photos(message: Message, photos: Sequence, written: list) -> None:
    """Save rebuilt photos (workflows.services.RebuiltPhoto) of a message; `written` collects the files."""
    for rebuilt in photos:
        photo = MessagePhoto(message=message)
        photo_files_write(photo, rebuilt, written)
        photo.save()


def message_post(
    *, room_id: int, by, body, client_id: str = "", photos: Sequence = (), latitude=None, longitude=None
) -> PostResult:
    """Store a message of an active, unmuted member and broadcast it once committed.

    Re-checks membership, removal, mute, length and characters every time (the socket may be older than
    a moderation step). A second post with the same `client_id` by the same author in the same room
    returns the first message (created=False) and broadcasts nothing: that is how a client resends
    safely after a dropped connection. Resends do not count against the rate limit.

    `photos` are already rebuilt (`workflows.services.photo_rebuild`); with photos the text may be empty.
    If the message cannot be saved, the photo files already written are removed.
    """
    photos = list(photos)
    if len(photos) > MESSAGE_MAX_PHOTOS:
        raise ChatRefused(
            "too_many_photos", _("Un mensaje admite como máximo %(max)s fotos.") % {"max": MESSAGE_MAX_PHOTOS}
        )
    body = clean_text(body, required=not photos)
    latitude, longitude = _checked_location(latitude, longitude)
    if client_id and not (isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id)):
        raise ChatRefused("invalid", _("Identificador de mensaje no válido."))
    written: list = []
    try:
        with transaction.atomic():
            membership = active_membership(room_id=room_id, user=by)
            _refuse_if_muted(membership)
            if client_id:
                existing = Message.objects.filter(room_id=room_id, author=by, client_id=client_id).first()
                if existing is not None:
                    return PostResult(existing, False)
            if _over_rate_limit(by.pk):
                raise ChatRefused("rate_limited", _("Está enviando muy rápido. Espere unos segundos."))
            message = Message(
                room_id=room_id,
                author=by,
                body=body,
                client_id=client_id or "",
                latitude=latitude,
                longitude=longitude,
            )
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                # The same client id raced in from another connection: that one won.
                existing = Message.objects.get(room_id=room_id, author=by, client_id=client_id)
                return PostResult(existing, False)
            _attach_photos(message, photos, written)
            # Your own message is read.
            Membership.objects.filter(pk=membership.pk).update(last_read_message_id=message.pk)
            groups.send_on_commit_quietly(groups.room_group(room_id), groups.chat_message_event(message))
    except BaseException:
        photo_files_remove(written)
        raise
    return PostResult(message, True)


def _own_live_message(*, room_id: int, message_id: int, by) -> Message:
    message = Message.objects.select_for_update().filter(pk=message_id, room_id=room_id).first()
    if message is None or message.deleted:
        raise ChatRefused("not_found", _("El mensaje no existe."))
    membership = active_membership(room_id=message.room_id, user=by)
    if message.author_id != by.pk:
        raise ChatRefused("not_allowed", _("Solo puede cambiar sus propios mensajes."))
    if message.hidden:
        raise ChatRefused("not_allowed", _("Este mensaje fue ocultado por moderación."))
    message.membership = membership
    return message


@transaction.atomic
def message_edit(*, room_id: int, message_id: int, by, body) -> Message:
    """The author corrects their message (not once hidden, not while muted); members see it live."""
    body = clean_text(body)
    message = _own_live_message(room_id=room_id, message_id=message_id, by=by)
    _refuse_if_muted(message.membership)
    if body == message.body:
        return message
    message.body = body
    message.edited_at = message.updated_at = timezone.now()
    message.save(update_fields=["body", "edited_at", "updated_at"])
    groups.send_on_commit_quietly(
        groups.room_group(message.room_id), groups.chat_message_edited_event(message)
    )
    return message


@transaction.atomic
def message_delete(*, room_id: int, message_id: int, by) -> Message:
    """The author withdraws their message; the text stays stored for the municipality, never shown."""
    message = _own_live_message(room_id=room_id, message_id=message_id, by=by)
    message.deleted = True
    message.deleted_at = message.updated_at = timezone.now()
    message.save(update_fields=["deleted", "deleted_at", "updated_at"])
    groups.send_on_commit_quietly(
        groups.room_group(message.room_id), groups.chat_message_deleted_event(message_id=message.pk)
    )
    return message


def membership_mark_read(*, room_id: int, by, message_id: int) -> int:
    """Move the member's read position forward (never back, never past the newest message)."""
    membership = active_membership(room_id=room_id, user=by, write=False)
    newest = Message.objects.filter(room_id=room_id).aggregate(newest=Max("id"))["newest"] or 0
    position = min(max(int(message_id), 0), newest)
    Membership.objects.filter(pk=membership.pk, last_read_message_id__lt=position).update(
        last_read_message_id=position
    )
    return max(position, membership.last_read_message_id)
