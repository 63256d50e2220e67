"""Rooms and memberships: neighbourhood rooms from the CMS, joining, approval, leaders and moderators."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat.models import (
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    ModerationAction,
    ModerationKind,
    Room,
    RoomKind,
)
from chat.services.common import ChatRefused, active_membership, is_municipality, room_get
from cms_content.models import Neighbourhood


@transaction.atomic
def room_sync_neighbourhoods() -> int:
    """Give every CMS neighbourhood its room, named after it and active with it; returns rooms created.

    Idempotent: a second run creates nothing. A neighbourhood switched off closes its room (history kept).
    """
    rooms = {room.neighbourhood_id: room for room in Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD)}
    created = 0
    for neighbourhood in Neighbourhood.objects.all():
        room = rooms.get(neighbourhood.pk)
        if room is None:
            if not neighbourhood.active:
                continue
            try:
                # A savepoint: a concurrent first visit may have created the same room.
                with transaction.atomic():
                    Room.objects.create(
                        kind=RoomKind.NEIGHBOURHOOD, name=neighbourhood.name, neighbourhood=neighbourhood
                    )
                created += 1
            except IntegrityError:
                pass
            continue
        if room.name != neighbourhood.name or room.active != neighbourhood.active:
            room.name, room.active = neighbourhood.name, neighbourhood.active
            room.save(update_fields=["name", "active"])
    return created


@transaction.atomic
def room_join(*, room_id: int, by) -> Membership:
    """Join a neighbourhood room: at once when it is open, as a pending request when a leader approves.

    Joining again returns the existing membership; someone removed by moderation cannot rejoin alone.
    """
    if by is None or not by.is_authenticated:
        raise ChatRefused("not_member", _("Ingrese con su cuenta para participar."))
    room = room_get(room_id)
    if room.kind != RoomKind.NEIGHBOURHOOD:
        raise ChatRefused("not_allowed", _("A esta sala se entra por invitación."))
    membership = Membership.objects.select_for_update().filter(room=room, user=by).first()
    if membership is not None:
        if membership.status == MembershipStatus.REMOVED:
            raise ChatRefused("removed", _("Fue retirado de esta sala por moderación."))
        return membership
    status = MembershipStatus.ACTIVE if room.join_policy == JoinPolicy.OPEN else MembershipStatus.PENDING
    # New members start with everything before them read: the unread count is about what comes next.
    last = Message.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first() or 0
    return Membership.objects.create(room=room, user=by, status=status, last_read_message_id=last)


def _is_leader_or_municipality(*, room_id: int, user) -> bool:
    if is_municipality(user):
        return True
    try:
        return active_membership(room_id=room_id, user=user).is_leader()
    except ChatRefused:
        return False


@transaction.atomic
def membership_approve(*, membership_id: int, by) -> Membership:
    """A leader lets a pending neighbour in; logged."""
    membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
    if membership is None:
        raise ChatRefused("not_found", _("La solicitud no existe."))
    if not _is_leader_or_municipality(room_id=membership.room_id, user=by):
        raise ChatRefused("not_allowed", _("Solo un dirigente de la sala aprueba ingresos."))
    if membership.status != MembershipStatus.PENDING:
        return membership
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status", "updated_at"])
    ModerationAction.objects.create(
        room_id=membership.room_id, by=by, kind=ModerationKind.APPROVE, member=membership.user
    )
    return membership


@transaction.atomic
def leader_appoint(*, room_id: int, user_id: int, term_ends: date, by) -> Membership:
    """The municipality appoints (or renews) a leader until `term_ends`; logged."""
    if not is_municipality(by):
        raise ChatRefused("not_allowed", _("Solo la municipalidad nombra dirigentes."))
    room = room_get(room_id)
    if term_ends < timezone.localdate():
        raise ChatRefused("invalid", _("El periodo debe terminar en una fecha futura."))
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ChatRefused("not_found", _("La persona no existe."))
    membership, _created = Membership.objects.select_for_update().get_or_create(room=room, user=user)
    membership.role = MembershipRole.LEADER
    membership.status = MembershipStatus.ACTIVE
    membership.leader_term_ends = term_ends
    membership.save()
    ModerationAction.objects.create(
        room=room, by=by, kind=ModerationKind.APPOINT_LEADER, member=user, reason=term_ends.isoformat()
    )
    return membership


@transaction.atomic
def moderator_appoint(*, room_id: int, user_id: int, by) -> Membership:
    """A leader names an active member moderator; logged."""
    if not _is_leader_or_municipality(room_id=room_id, user=by):
        raise ChatRefused("not_allowed", _("Solo un dirigente de la sala nombra moderadores."))
    membership = (
        Membership.objects.select_for_update()
        .filter(room_id=room_id, user_id=user_id, status=MembershipStatus.ACTIVE)
        .first()
    )
    if membership is None:
        raise ChatRefused("not_member", _("Esa persona no participa en la sala."))
    if membership.role == MembershipRole.MEMBER:
        membership.role = MembershipRole.MODERATOR
        membership.save(update_fields=["role", "updated_at"])
        ModerationAction.objects.create(
            room_id=room_id, by=by, kind=ModerationKind.APPOINT_MODERATOR, member=membership.user
        )
    return membership


def membership_set_roll_call(*, room_id: int, by, opt_in: bool) -> Membership:
    """A member chooses whether leaders may see if they answered an alert's roll call."""
    membership = active_membership(room_id=room_id, user=by)
    membership.roll_call_opt_in = bool(opt_in)
    membership.save(update_fields=["roll_call_opt_in", "updated_at"])
    return membership
