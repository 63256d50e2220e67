"""Incident coordination rooms: created the first time someone allowed opens them.

Who may open one is `chat.coordination.coordination_access` (asked of `workflows` every time); the
membership row only keeps the person's read position and unread count.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chat.coordination import coordination_access
from chat.models import Membership, MembershipStatus, Message, Room, RoomKind
from chat.services.common import ChatRefused


def _room_for(incident) -> Room:
    room = Room.objects.filter(kind=RoomKind.INCIDENT, incident_id=incident.pk).first()
    if room is not None:
        return room
    try:
        # A savepoint: two staff opening the thread at the same moment create one room.
        with transaction.atomic():
            return Room.objects.create(
                kind=RoomKind.INCIDENT,
                incident_id=incident.pk,
                name=_("Coordinación %(folio)s") % {"folio": incident.folio},
            )
    except IntegrityError:
        return Room.objects.get(kind=RoomKind.INCIDENT, incident_id=incident.pk)


@transaction.atomic
def incident_room_open(*, incident_id: int, by) -> Room:
    """The incident's coordination room for `by` (created lazily), with `.membership`, `.coordination`
    and `.read_only` attached; ChatRefused("not_found") when `by` may not open it (citizens, other staff).
    """
    access = coordination_access(incident_id=incident_id, user=by)
    if access is None:
        raise ChatRefused("not_found", _("La sala de coordinación no existe."))
    room = _room_for(access.incident)
    if not room.active:
        raise ChatRefused("not_found", _("La sala de coordinación no existe."))
    membership = Membership.objects.select_for_update().filter(room=room, user=by).first()
    if membership is None:
        last = Message.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first() or 0
        # The page shows the whole thread; the unread count in the room list is about what comes next.
        membership = Membership.objects.create(
            room=room, user=by, status=MembershipStatus.ACTIVE, last_read_message_id=last
        )
    elif membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
    room.membership = membership
    room.coordination = access
    room.read_only = not access.can_write
    return room
