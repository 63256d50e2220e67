"""Alerts from authorities and agencies to the rooms of an area, and the members' roll call answers."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from chat import groups
from chat.models import Alert, AlertAnswer, AlertKind, AlertResponse, MembershipStatus, Room, RoomKind
from chat.services.common import ChatRefused, clean_text, is_municipality
from chat.services.rooms import room_sync_neighbourhoods
from cms_content.geo import validate_boundary

ALERT_MAX_HOURS = 24 * 7


def can_send_alerts(user) -> bool:
    """Authorities and agency staff (permission chat.send_alert) and the municipality send alerts."""
    return is_municipality(user) or bool(
        user is not None and user.is_authenticated and user.is_active and user.has_perm("chat.send_alert")
    )


def _rooms_for(*, area, neighbourhood_ids) -> list[Room]:
    rooms = Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD, active=True).select_related("neighbourhood")
    chosen = {room.pk: room for room in rooms if room.neighbourhood_id in set(neighbourhood_ids or ())}
    if area is not None:
        try:
            validate_boundary(area)
        except ValidationError as error:
            raise ChatRefused("invalid", " ".join(error.messages)) from error
        polygon = shape(area)
        for room in rooms:
            try:
                if shape(room.neighbourhood.boundary).intersects(polygon):
                    chosen[room.pk] = room
            except Exception:  # a broken stored boundary must not stop an emergency alert
                continue
    return list(chosen.values())


@transaction.atomic
def alert_send(
    *,
    by,
    kind: str,
    title,
    body="",
    area: dict | None = None,
    neighbourhood_ids: list[int] | None = None,
    hours: int = 24,
) -> Alert:
    """Send an alert to every neighbourhood room that meets `area` (GeoJSON polygon) or is listed.

    Stored first; each room hears it after the commit, pinned until `hours` pass.
    """
    if not can_send_alerts(by):
        raise ChatRefused("not_allowed", _("Solo autoridades y organismos envían avisos."))
    if kind not in AlertKind.values:
        raise ChatRefused("invalid", _("Elija el tipo de aviso."))
    title = clean_text(title, max_chars=120)
    body = clean_text(body or "", max_chars=1000, required=False)
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= ALERT_MAX_HOURS:
        raise ChatRefused("invalid", _("Elija entre 1 y %(max)s horas.") % {"max": ALERT_MAX_HOURS})
    room_sync_neighbourhoods()
    rooms = _rooms_for(area=area, neighbourhood_ids=neighbourhood_ids)
    if not rooms:
        raise ChatRefused("no_rooms", _("Ningún barrio queda dentro del área elegida."))
    now = timezone.now()
    alert = Alert.objects.create(
        kind=kind,
        title=title,
        body=body,
        area=area,
        by=by,
        created_at=now,
        ends_at=now + timedelta(hours=hours),
    )
    alert.rooms.set(rooms)
    event = groups.chat_alert_event(alert)
    for room in rooms:
        groups.send_on_commit_quietly(groups.room_group(room.pk), event)
    return alert


@transaction.atomic
def alert_answer(*, alert_id: int, by, answer: str) -> AlertResponse:
    """A member answers an alert's roll call: received, I'm OK, I need help (the latest answer counts)."""
    if answer not in AlertAnswer.values:
        raise ChatRefused("invalid", _("Respuesta no válida."))
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise ChatRefused("not_found", _("El aviso no existe."))
    if (
        by is None
        or not by.is_authenticated
        or not alert.rooms.filter(memberships__user=by, memberships__status=MembershipStatus.ACTIVE).exists()
    ):
        raise ChatRefused("not_member", _("Este aviso no llegó a sus salas."))
    if alert.ends_at <= timezone.now():
        raise ChatRefused("closed", _("Este aviso ya terminó."))
    response, _created = AlertResponse.objects.update_or_create(
        alert=alert, user=by, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    return response
