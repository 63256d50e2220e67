"""Appeals of moderation: the affected member asks the municipality to review a hide, mute or removal.

The municipality (chat.oversee_rooms) upholds the measure or reverts it; the decision is logged in the
room's moderation log and the member is told. Reverting a hide shows the message again to everyone
(live and on resync), reverting a mute or a removal gives the member their voice or their place back.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import groups
from chat.models import (
    APPEALABLE_KINDS,
    AppealStatus,
    Membership,
    MembershipStatus,
    Message,
    ModerationAction,
    ModerationAppeal,
    ModerationKind,
)
from chat.services.common import ChatRefused, clean_text, is_municipality
from chat.services.moderation import _municipality_users, _notify

APPEAL_MAX_CHARS = 1000


def action_affects(action: ModerationAction, user) -> bool:
    """Whether `user` is the one a hide, mute or removal fell on (the author of a hidden message)."""
    if user is None or not user.is_authenticated or action.kind not in APPEALABLE_KINDS:
        return False
    if action.kind == ModerationKind.HIDE:
        return action.message is not None and action.message.author_id == user.pk
    return action.member_id == user.pk


def _text(value, *, empty_message: str) -> str:
    try:
        return clean_text(value, max_chars=APPEAL_MAX_CHARS)
    except ChatRefused as error:
        if error.code == "empty":
            raise ChatRefused("invalid", empty_message) from error
        raise


@transaction.atomic
def appeal_file(*, action_id: int, by, text) -> ModerationAppeal:
    """The affected member appeals a measure once; appealing again returns the first appeal."""
    text = _text(text, empty_message=_("Cuente por qué pide revisar la medida."))
    action = ModerationAction.objects.select_related("message", "room").filter(pk=action_id).first()
    # Someone else's measure answers exactly like a missing one: it is not theirs to see.
    if action is None or not action_affects(action, by):
        raise ChatRefused("not_found", _("La medida no existe."))
    try:
        with transaction.atomic():
            appeal = ModerationAppeal.objects.create(action=action, appellant=by, text=text)
    except IntegrityError:
        return ModerationAppeal.objects.get(action=action)
    _notify(
        _municipality_users(),
        title=_("Nueva apelación de moderación"),
        body=_("Sala «%(room)s»: %(kind)s.") % {"room": action.room.name, "kind": action.get_kind_display()},
        url=reverse("chat:appeal_review"),
    )
    return appeal


def _revert(action: ModerationAction) -> None:
    if action.kind == ModerationKind.HIDE:
        message = Message.objects.select_for_update().filter(pk=action.message_id, deleted=False).first()
        if message is not None and message.hidden:
            message.hidden = False
            message.updated_at = timezone.now()
            message.save(update_fields=["hidden", "updated_at"])
            groups.send_on_commit_quietly(
                groups.room_group(message.room_id), groups.chat_message_restored_event(message)
            )
        return
    membership = (
        Membership.objects.select_for_update()
        .filter(room_id=action.room_id, user_id=action.member_id)
        .first()
    )
    if membership is None:
        return
    if action.kind == ModerationKind.MUTE and membership.is_muted():
        membership.muted_until = None
        membership.save(update_fields=["muted_until", "updated_at"])
        groups.send_on_commit_quietly(
            groups.room_group(action.room_id), groups.chat_member_unmuted_event(user_id=membership.user_id)
        )
    elif action.kind == ModerationKind.REMOVE and membership.status == MembershipStatus.REMOVED:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])


@transaction.atomic
def appeal_decide(*, appeal_id: int, by, revert: bool, note) -> ModerationAppeal:
    """The municipality upholds or reverts an appealed measure, with a note the member reads; logged."""
    if not is_municipality(by):
        raise ChatRefused("not_allowed", _("Solo la municipalidad resuelve apelaciones."))
    note = _text(note, empty_message=_("Escriba la respuesta: la recibe quien apeló."))
    appeal = (
        ModerationAppeal.objects.select_for_update()
        .select_related("action", "action__room")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise ChatRefused("not_found", _("La apelación no existe."))
    if appeal.status != AppealStatus.PENDING:
        raise ChatRefused("invalid", _("Esta apelación ya fue resuelta."))
    action = appeal.action
    if revert:
        _revert(action)
    appeal.status = AppealStatus.REVERTED if revert else AppealStatus.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.decision_note = by, timezone.now(), note
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ModerationAction.objects.create(
        room_id=action.room_id,
        by=by,
        kind=ModerationKind.APPEAL_REVERTED if revert else ModerationKind.APPEAL_UPHELD,
        member=appeal.appellant,
        message_id=action.message_id,
        reason=note,
    )
    _notify(
        [appeal.appellant],
        title=_("Su apelación fue revisada"),
        body=(_("La medida fue revertida: %(note)s") if revert else _("La medida se mantiene: %(note)s"))
        % {"note": note},
        url=reverse("chat:appeal_list"),
    )
    return appeal
