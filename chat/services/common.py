"""What every chat service shares: the domain error, the municipality check, text and membership checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chat.coordination import coordination_access
from chat.models import MESSAGE_MAX_CHARS, Membership, MembershipStatus, Room, RoomKind
from cms_content.validators import no_control_characters


class ChatRefused(Exception):
    """A chat action that is not allowed; `code` is stable for clients (websocket error frames, JSON).

    Codes: not_member, not_found, not_allowed, removed, muted, too_long, empty, invalid_text,
    rate_limited, invalid.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_municipality(user) -> bool:
    """The municipality oversees every room: appoints leaders, reads logs, receives escalated reports."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("chat.oversee_rooms"))
    )


def clean_text(body, *, max_chars: int = MESSAGE_MAX_CHARS, required: bool = True) -> str:
    """Trimmed text within the limit and free of control characters, or ChatRefused."""
    if not isinstance(body, str):
        raise ChatRefused("invalid", _("El mensaje no es texto."))
    body = body.strip()
    if required and not body:
        raise ChatRefused("empty", _("Escriba un mensaje antes de enviarlo."))
    if len(body) > max_chars:
        raise ChatRefused(
            "too_long", _("El texto es demasiado largo (máximo %(max)s caracteres).") % {"max": max_chars}
        )
    try:
        no_control_characters(body)
    except ValidationError as error:
        raise ChatRefused("invalid_text", _("El texto tiene caracteres no válidos.")) from error
    return body


def active_membership(*, room_id: int, user, lock: bool = False, write: bool = True) -> Membership:
    """The user's active membership of an active room, or ChatRefused (not_member / removed / not_allowed).

    In an incident's coordination room the membership only records the read position: access is asked
    of `workflows` every time, and auditors may read (`write=False`) but not write.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise ChatRefused("not_member", _("Ingrese con su cuenta para participar."))
    memberships = Membership.objects.select_related("room")
    if lock:
        memberships = memberships.select_for_update(of=("self",))
    membership = memberships.filter(room_id=room_id, user=user, room__active=True).first()
    if membership is None or membership.status == MembershipStatus.PENDING:
        raise ChatRefused("not_member", _("No participa en esta sala."))
    if membership.status == MembershipStatus.REMOVED:
        raise ChatRefused("removed", _("Fue retirado de esta sala por moderación."))
    if membership.room.kind == RoomKind.INCIDENT:
        access = coordination_access(incident_id=membership.room.incident_id, user=user)
        if access is None:
            raise ChatRefused("not_member", _("No participa en esta sala."))
        if write and not access.can_write:
            raise ChatRefused("not_allowed", _("Auditoría: puede leer esta sala, pero no escribir en ella."))
    return membership


def moderator_membership(*, room_id: int, user) -> Membership | None:
    """The acting moderator's membership, None for the municipality acting from outside; else ChatRefused.

    Nobody moderates an incident's coordination room: it is the staff's working record of the case.
    """
    if Room.objects.filter(pk=room_id, kind=RoomKind.INCIDENT).exists():
        raise ChatRefused("not_allowed", _("Las salas de coordinación no se moderan."))
    if is_municipality(user):
        return Membership.objects.filter(room_id=room_id, user=user).first()
    membership = active_membership(room_id=room_id, user=user)
    if not membership.can_moderate():
        raise ChatRefused("not_allowed", _("Solo dirigentes y moderadores pueden hacer esto."))
    return membership


def room_get(room_id: int) -> Room:
    room = Room.objects.filter(pk=room_id, active=True).first()
    if room is None:
        raise ChatRefused("not_found", _("La sala no existe."))
    return room
