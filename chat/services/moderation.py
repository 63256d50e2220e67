"""Moderation: hide a message, mute or remove a member, reports and their escalation; every step logged.

Rank decides who may act on whom: the municipality over leaders, leaders over moderators, moderators
over members; nobody over themselves.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chat import groups
from chat.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    MessageReport,
    ModerationAction,
    ModerationKind,
    RoomKind,
)
from chat.services.common import (
    ChatRefused,
    active_membership,
    clean_text,
    is_municipality,
    moderator_membership,
)

REASON_MAX_CHARS = 500
MUTE_MAX_HOURS = 24 * 7
DEFAULT_ESCALATION_HOURS = 12
_TARGET_RANK = {MembershipRole.MEMBER: 0, MembershipRole.MODERATOR: 1, MembershipRole.LEADER: 2}


def _reason(reason) -> str:
    try:
        return clean_text(reason, max_chars=REASON_MAX_CHARS)
    except ChatRefused as error:
        if error.code == "empty":
            raise ChatRefused("invalid", _("Escriba el motivo: queda en el registro.")) from error
        raise


def _actor_rank(by, acting: Membership | None) -> int:
    if is_municipality(by):
        return 3
    return 2 if acting is not None and acting.is_leader() else 1


def _target_member(*, room_id: int, user_id: int, by, status=MembershipStatus.ACTIVE) -> Membership:
    acting = moderator_membership(room_id=room_id, user=by)
    target = Membership.objects.select_for_update().filter(room_id=room_id, user_id=user_id).first()
    if target is None or target.status != status:
        raise ChatRefused("not_member", _("Esa persona no participa en la sala."))
    if target.user_id == by.pk or _TARGET_RANK[target.role] >= _actor_rank(by, acting):
        raise ChatRefused("not_allowed", _("No puede moderar a esta persona."))
    return target


@transaction.atomic
def message_hide(*, message_id: int, by, reason) -> Message:
    """Hide a message from members (the text stays for the municipality), log why, close its reports."""
    reason = _reason(reason)
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise ChatRefused("not_found", _("El mensaje no existe."))
    moderator_membership(room_id=message.room_id, user=by)
    if message.hidden:
        return message
    now = timezone.now()
    message.hidden, message.hidden_reason, message.hidden_by, message.hidden_at = True, reason, by, now
    message.updated_at = now
    message.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    ModerationAction.objects.create(
        room_id=message.room_id, by=by, kind=ModerationKind.HIDE, message=message, reason=reason
    )
    MessageReport.objects.filter(message=message, handled=False).update(
        handled=True, handled_by=by, handled_at=now
    )
    groups.send_on_commit_quietly(
        groups.room_group(message.room_id),
        groups.chat_message_hidden_event(message_id=message.pk, reason=reason),
    )
    return message


@transaction.atomic
def member_mute(*, room_id: int, user_id: int, by, hours: int, reason) -> Membership:
    """Silence a member for `hours` (1 to a week): they still read, they cannot write; logged."""
    reason = _reason(reason)
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= MUTE_MAX_HOURS:
        raise ChatRefused("invalid", _("Elija entre 1 y %(max)s horas.") % {"max": MUTE_MAX_HOURS})
    target = _target_member(room_id=room_id, user_id=user_id, by=by)
    target.muted_until = timezone.now() + timedelta(hours=hours)
    target.save(update_fields=["muted_until", "updated_at"])
    ModerationAction.objects.create(
        room_id=room_id,
        by=by,
        kind=ModerationKind.MUTE,
        member=target.user,
        reason=reason,
        until=target.muted_until,
    )
    groups.send_on_commit_quietly(
        groups.room_group(room_id),
        groups.chat_member_muted_event(user_id=target.user_id, until=target.muted_until.isoformat()),
    )
    return target


@transaction.atomic
def member_remove(*, room_id: int, user_id: int, by, reason) -> Membership:
    """Take a member out of the room (their open sockets close; they cannot rejoin alone); logged."""
    reason = _reason(reason)
    target = _target_member(room_id=room_id, user_id=user_id, by=by)
    target.status = MembershipStatus.REMOVED
    target.role = MembershipRole.MEMBER
    target.save(update_fields=["status", "role", "updated_at"])
    ModerationAction.objects.create(
        room_id=room_id, by=by, kind=ModerationKind.REMOVE, member=target.user, reason=reason
    )
    groups.send_on_commit_quietly(
        groups.room_group(room_id), groups.chat_member_removed_event(user_id=target.user_id)
    )
    return target


def _optional_reason(reason) -> str:
    return clean_text(reason or "", max_chars=REASON_MAX_CHARS, required=False)


@transaction.atomic
def member_unmute(*, room_id: int, user_id: int, by, reason="") -> Membership:
    """Lift a mute before it ends (the same rank that may mute may unmute); logged."""
    reason = _optional_reason(reason)
    target = _target_member(room_id=room_id, user_id=user_id, by=by)
    if not target.is_muted():
        raise ChatRefused("invalid", _("Esa persona no está silenciada."))
    target.muted_until = None
    target.save(update_fields=["muted_until", "updated_at"])
    ModerationAction.objects.create(
        room_id=room_id, by=by, kind=ModerationKind.UNMUTE, member=target.user, reason=reason
    )
    groups.send_on_commit_quietly(
        groups.room_group(room_id), groups.chat_member_unmuted_event(user_id=target.user_id)
    )
    return target


@transaction.atomic
def member_readmit(*, room_id: int, user_id: int, by, reason="") -> Membership:
    """Lift a removal: the person is an active member again (as a plain member); logged."""
    reason = _optional_reason(reason)
    target = _target_member(room_id=room_id, user_id=user_id, by=by, status=MembershipStatus.REMOVED)
    target.status = MembershipStatus.ACTIVE
    target.save(update_fields=["status", "updated_at"])
    ModerationAction.objects.create(
        room_id=room_id, by=by, kind=ModerationKind.READMIT, member=target.user, reason=reason
    )
    return target


def _notify(users, *, title: str, body: str, url: str) -> None:
    event = groups.notification_event(kind="chat_report", title=title, body=body, url=url)
    for user_id in {user.pk for user in users}:
        groups.send_on_commit_quietly(groups.user_group(user_id), event)


@transaction.atomic
def message_report(*, message_id: int, by, reason) -> MessageReport:
    """A member reports a message to the room's moderators; reporting it again returns the first report."""
    reason = _reason(reason)
    message = Message.objects.filter(pk=message_id, deleted=False).first()
    if message is None:
        raise ChatRefused("not_found", _("El mensaje no existe."))
    active_membership(room_id=message.room_id, user=by)
    if message.room.kind == RoomKind.INCIDENT:
        # Nobody moderates a coordination room, and its text must not travel to the municipality.
        raise ChatRefused("not_allowed", _("Las salas de coordinación no se moderan."))
    if message.author_id == by.pk:
        raise ChatRefused("not_allowed", _("No puede denunciar su propio mensaje."))
    if message.hidden:
        raise ChatRefused("not_found", _("El mensaje ya fue ocultado."))
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(message=message, reporter=by, reason=reason)
    except IntegrityError:
        return MessageReport.objects.get(message=message, reporter=by)
    moderators = [
        membership.user
        for membership in Membership.objects.select_related("user").filter(
            room_id=message.room_id,
            status=MembershipStatus.ACTIVE,
            role__in=[MembershipRole.LEADER, MembershipRole.MODERATOR],
        )
        if membership.can_moderate()
    ]
    _notify(
        moderators,
        title=_("Un mensaje fue denunciado"),
        body=_("Revíselo en la sala «%(room)s».") % {"room": message.room.name},
        url=reverse("chat:room_reports", args=[message.room_id]),
    )
    return report


@transaction.atomic
def report_handle(*, report_id: int, by) -> MessageReport:
    """A moderator closes a report without hiding the message (it was fine); logged."""
    report = MessageReport.objects.select_for_update().select_related("message").filter(pk=report_id).first()
    if report is None:
        raise ChatRefused("not_found", _("La denuncia no existe."))
    moderator_membership(room_id=report.message.room_id, user=by)
    if report.handled:
        return report
    report.handled, report.handled_by, report.handled_at = True, by, timezone.now()
    report.save(update_fields=["handled", "handled_by", "handled_at"])
    ModerationAction.objects.create(
        room_id=report.message.room_id,
        by=by,
        kind=ModerationKind.REPORT_HANDLED,
        message=report.message,
        reason=report.reason,
    )
    return report


def _municipality_users():
    permission = Permission.objects.filter(content_type__app_label="chat", codename="oversee_rooms").first()
    query = Q(is_superuser=True)
    if permission is not None:
        query |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return get_user_model().objects.filter(query, is_active=True).distinct()


@transaction.atomic
def reports_escalate_overdue(*, now=None) -> int:
    """Escalate reports no moderator handled within CHAT_REPORT_ESCALATION_HOURS to the municipality.

    Run by `manage.py escalate_chat_reports` (the timers); each report escalates once. Returns how many.
    """
    now = now or timezone.now()
    hours = getattr(settings, "CHAT_REPORT_ESCALATION_HOURS", DEFAULT_ESCALATION_HOURS)
    overdue = list(
        MessageReport.objects.select_for_update()
        .filter(handled=False, escalated_at__isnull=True, created_at__lte=now - timedelta(hours=hours))
        .values_list("pk", flat=True)
    )
    if not overdue:
        return 0
    MessageReport.objects.filter(pk__in=overdue).update(escalated_at=now)
    _notify(
        _municipality_users(),
        title=_("Denuncias de chat sin atender"),
        body=ngettext(
            "%(count)s denuncia pasó el plazo de los moderadores.",
            "%(count)s denuncias pasaron el plazo de los moderadores.",
            len(overdue),
        )
        % {"count": len(overdue)},
        url=reverse("chat:escalated_reports"),
    )
    return len(overdue)
