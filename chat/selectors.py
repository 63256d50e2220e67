"""Reads of chat rooms, scoped to the viewing user: who may open a room, what they may read."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chat import groups
from chat.coordination import coordination_access, coordination_read_log
from chat.models import (
    APPEALABLE_KINDS,
    Alert,
    AlertAnswer,
    AlertResponse,
    AppealStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    MessagePhoto,
    MessageReport,
    ModerationAction,
    ModerationAppeal,
    ModerationKind,
    Room,
    RoomKind,
    SharedIncident,
)
from chat.services.common import is_municipality
from cms_content.models import Neighbourhood

HISTORY_PAGE = 50
HISTORY_MAX = 200


def room_for_member(*, room_id: int, user) -> Room | None:
    """The active room if `user` is an active member of it, with `.membership` attached; else None.

    None for anonymous users, pending requests, removed members and closed rooms alike: the socket and
    the history answer all of them the same way. In an incident's coordination room access is asked of
    `workflows` again (`room.coordination`; `room.read_only` for auditors).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.select_related("room")
        .filter(room_id=room_id, user=user, status=MembershipStatus.ACTIVE, room__active=True)
        .first()
    )
    if membership is None:
        return None
    room = membership.room
    room.membership = membership
    room.read_only = False
    if room.kind == RoomKind.INCIDENT:
        access = coordination_access(incident_id=room.incident_id, user=user)
        if access is None:
            return None
        room.coordination = access
        room.read_only = not access.can_write
    return room


def room_read_log(*, room: Room, user) -> None:
    """A read of a sensitive incident's coordination room is logged for the auditors (pages and history)."""
    access = getattr(room, "coordination", None)
    if access is not None:
        coordination_read_log(access=access, user=user)


def membership_get(*, room_id: int, user) -> Membership | None:
    """The user's membership of a room in any status (pending, removed…), for the room page."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.select_related("room").filter(room_id=room_id, user=user).first()


def room_get(*, room_id: int) -> Room | None:
    return Room.objects.filter(pk=room_id, active=True).select_related("neighbourhood").first()


@dataclass
class RoomList:
    memberships: list[Membership]  # each with `.unread`
    joinable: list[Room]  # neighbourhood rooms the user is not in


def _neighbourhood_rooms_missing() -> bool:
    with_room = Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD).values("neighbourhood_id")
    return Neighbourhood.objects.filter(active=True).exclude(pk__in=with_room).exists()


def room_list_for_user(*, user) -> RoomList:
    """The user's rooms with unread counts (their own, hidden and deleted messages not counted) and the
    neighbourhood rooms they could join. Creates missing neighbourhood rooms on the way (cheap check)."""
    if _neighbourhood_rooms_missing():
        from chat.services import room_sync_neighbourhoods

        room_sync_neighbourhoods()
    unread = (
        Message.objects.filter(
            room=OuterRef("room"), id__gt=OuterRef("last_read_message_id"), hidden=False, deleted=False
        )
        .exclude(author=user)
        .order_by()
        .values("room")
        .annotate(n=Count("id"))
        .values("n")
    )
    memberships = [
        membership
        for membership in Membership.objects.filter(user=user, room__active=True)
        .exclude(status=MembershipStatus.REMOVED)
        .select_related("room")
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
        .order_by("room__name")
        # A coordination room stays listed only while its incident still involves the person.
        if membership.room.kind != RoomKind.INCIDENT
        or coordination_access(incident_id=membership.room.incident_id, user=user) is not None
    ]
    mine = Membership.objects.filter(user=user).values("room_id")
    joinable = list(
        Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD, active=True).exclude(pk__in=mine).order_by("name")
    )
    return RoomList(memberships=memberships, joinable=joinable)


def rooms_for_oversight(*, user) -> list[Room]:
    """Every active neighbourhood room, for the municipality's overview (logs, members); empty for others."""
    if not is_municipality(user):
        return []
    return list(Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD, active=True).order_by("name"))


def room_suggested_for_point(*, lat: float, lon: float) -> Room | None:
    """The neighbourhood room covering a point (the citizen's location), if any."""
    from cms_content.selectors import neighbourhood_for_point

    neighbourhood = neighbourhood_for_point(lat=lat, lon=lon)
    if neighbourhood is None:
        return None
    return Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD, neighbourhood=neighbourhood, active=True).first()


@dataclass
class History:
    messages: list[Message]  # oldest first
    has_more: bool  # more in the direction asked (older for `before`, newer for `after`)


def message_history(
    *,
    room: Room,
    for_moderator: bool,
    before_id: int | None = None,
    after_id: int | None = None,
    limit: int = HISTORY_PAGE,
) -> History:
    """A page of a room's messages by id cursor, oldest first.

    `after_id`: the next messages after it (a reconnecting client's resync, in order);
    `before_id`: the page before it (scrolling back); neither: the newest page.
    Deleted messages are left out for everyone; hidden ones are shown to moderators only.
    """
    limit = max(1, min(int(limit), HISTORY_MAX))
    messages = (
        Message.objects.filter(room=room, deleted=False).select_related("author").prefetch_related("photos")
    )
    if not for_moderator:
        messages = messages.filter(hidden=False)
    if after_id is not None:
        page = list(messages.filter(id__gt=after_id).order_by("id")[: limit + 1])
        return History(messages=page[:limit], has_more=len(page) > limit)
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    page = list(messages.order_by("-id")[: limit + 1])
    return History(messages=list(reversed(page[:limit])), has_more=len(page) > limit)


def now_ms() -> int:
    """The server's clock in epoch milliseconds: the cursor a client keeps for `message_changes_since`."""
    return int(timezone.now().timestamp() * 1000)


CHANGES_OVERLAP = timedelta(minutes=2)
CHANGES_MAX = 500


@dataclass
class Changes:
    messages: list[Message]  # edited, deleted, hidden or restored since the cursor; oldest change first
    complete: bool  # False: too many to send; the client reloads the room instead


def message_changes_since(*, room: Room, since: datetime) -> Changes:
    """Messages changed since `since` (minus an overlap), deleted and hidden ones included.

    The caller decides what each viewer may learn of a deleted or hidden one. The overlap covers a change
    whose transaction committed after a later one: applying a change twice does no harm, missing one would.
    """
    changed = list(
        Message.objects.filter(room=room, updated_at__gte=since - CHANGES_OVERLAP)
        .select_related("author")
        .prefetch_related("photos")
        .order_by("updated_at", "id")[: CHANGES_MAX + 1]
    )
    if len(changed) > CHANGES_MAX:
        return Changes(messages=[], complete=False)
    return Changes(messages=changed, complete=True)


def message_for_moderation(*, message_id: int, room: Room) -> Message | None:
    """A message of the room as a moderator sees it (hidden ones too, not deleted ones)."""
    return Message.objects.select_related("author").filter(pk=message_id, room=room, deleted=False).first()


def room_moderator_access(*, room_id: int, user) -> Room | None:
    """The room if `user` moderates it (leader in term, moderator) or is the municipality; else None."""
    room = room_for_member(room_id=room_id, user=user)
    if room is not None and room.membership.can_moderate():
        return room
    if is_municipality(user):
        room = room_get(room_id=room_id)
        # The municipality oversees neighbourhood rooms, never the staff's coordination of a case.
        if room is not None and room.kind == RoomKind.INCIDENT:
            return None
        if room is not None:
            room.membership = membership_get(room_id=room_id, user=user)
        return room
    return None


def room_members_for_leader(*, room: Room) -> dict[str, list[Membership]]:
    """Pending requests, active members (muted ones too) and removed people of a room (for its leaders)."""
    memberships = Membership.objects.filter(room=room).select_related("user").order_by("joined_at", "id")
    return {
        "pending": [m for m in memberships if m.status == MembershipStatus.PENDING],
        "active": [m for m in memberships if m.status == MembershipStatus.ACTIVE],
        "muted": [m for m in memberships if m.status == MembershipStatus.ACTIVE and m.is_muted()],
        "removed": [m for m in memberships if m.status == MembershipStatus.REMOVED],
    }


def moderation_log(*, room: Room) -> QuerySet[ModerationAction]:
    """The room's moderation actions, newest first (the caller checked moderator or municipality access)."""
    return ModerationAction.objects.filter(room=room).select_related("by", "member", "message")


def reports_open_for_room(*, room: Room) -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(message__room=room, handled=False)
        .select_related("message", "message__author", "reporter")
        .order_by("created_at")
    )


def reports_escalated(*, user) -> QuerySet[MessageReport] | None:
    """Reports the moderators did not handle in time, for the municipality; None for anyone else."""
    if not is_municipality(user):
        return None
    return (
        MessageReport.objects.filter(handled=False, escalated_at__isnull=False)
        .select_related("message", "message__room", "message__author", "reporter")
        .order_by("escalated_at")
    )


def leaders_of(*, room: Room) -> list[Membership]:
    return [
        m
        for m in Membership.objects.filter(
            room=room, role=MembershipRole.LEADER, status=MembershipStatus.ACTIVE
        ).select_related("user")
        if m.is_leader()
    ]


def alerts_active_for_room(*, room: Room, user) -> list[Alert]:
    """The room's alerts still in force, newest first, each with the user's `my_answer` (or "")."""
    alerts = list(room.alerts.filter(ends_at__gt=timezone.now()).order_by("-created_at"))
    answers = dict(
        AlertResponse.objects.filter(alert__in=alerts, user=user).values_list("alert_id", "answer")
    )
    for alert in alerts:
        alert.my_answer = answers.get(alert.pk, "")
    return alerts


@dataclass
class RollCall:
    alert: Alert
    counts: dict[str, int]  # answer → members of this room who gave it
    need_help: list[Membership]  # answered "I need help"
    not_answered: list[Membership]  # opted in to the roll call and silent so far


def alert_roll_call(*, alert_id: int, room: Room) -> RollCall | None:
    """Who in the room answered an alert (for its leaders; the caller checked access)."""
    alert = room.alerts.filter(pk=alert_id).first()
    if alert is None:
        return None
    members = list(
        Membership.objects.filter(room=room, status=MembershipStatus.ACTIVE).select_related("user")
    )
    answers = dict(
        AlertResponse.objects.filter(alert=alert, user__in=[m.user_id for m in members]).values_list(
            "user_id", "answer"
        )
    )
    counts = {answer: 0 for answer in AlertAnswer.values}
    for answer in answers.values():
        counts[answer] += 1
    return RollCall(
        alert=alert,
        counts=counts,
        need_help=[m for m in members if answers.get(m.user_id) == AlertAnswer.NEED_HELP],
        not_answered=[m for m in members if m.roll_call_opt_in and m.user_id not in answers],
    )


SHARED_INCIDENTS_SHOWN = 10


def incident_cards_for_room(*, room: Room) -> list[dict]:
    """Status cards of the incidents shared in the room, newest first, read fresh from `workflows`.

    An incident that stopped being public (re-categorised as sensitive, held for review) drops out.
    """
    from workflows.selectors import incident_public_get

    cards = []
    for shared in room.shared_incidents.all()[:SHARED_INCIDENTS_SHOWN]:
        incident = incident_public_get(folio=shared.folio)
        if incident is None or incident.held_for_review:
            continue
        cards.append({**groups.incident_card_payload(incident), "shared_id": shared.pk})
    return cards


def shared_incident_ids(*, room_id: int) -> list[int]:
    """Incidents whose status changes the room's sockets listen to (the cards on show)."""
    return list(
        SharedIncident.objects.filter(room_id=room_id).values_list("incident_id", flat=True)[
            :SHARED_INCIDENTS_SHOWN
        ]
    )


# Appeals of moderation


def moderation_affecting(*, user) -> list[ModerationAction]:
    """Hides of the user's messages, their mutes and removals, newest first; each with `.appeal_or_none`."""
    if user is None or not user.is_authenticated:
        return []
    actions = list(
        ModerationAction.objects.filter(kind__in=APPEALABLE_KINDS)
        .filter(
            Q(member=user, kind__in=[ModerationKind.MUTE, ModerationKind.REMOVE])
            | Q(message__author=user, kind=ModerationKind.HIDE)
        )
        .select_related("room", "message")[:50]
    )
    appeals = {a.action_id: a for a in ModerationAppeal.objects.filter(action__in=actions)}
    for action in actions:
        action.appeal_or_none = appeals.get(action.pk)
    return actions


def appeals_for_review(*, user) -> dict[str, list[ModerationAppeal]] | None:
    """Pending appeals (oldest first) and the last decided ones for the municipality; None for others."""
    if not is_municipality(user):
        return None
    appeals = ModerationAppeal.objects.select_related(
        "action", "action__room", "action__by", "action__member", "action__message", "appellant", "decided_by"
    )
    return {
        "pending": list(appeals.filter(status=AppealStatus.PENDING).order_by("created_at", "id")),
        "decided": list(appeals.exclude(status=AppealStatus.PENDING).order_by("-decided_at", "-id")[:20]),
    }


def message_photo_for_viewer(*, uid, user) -> MessagePhoto | None:
    """A message photo if `user` may see its message: an active member of the room (coordination access
    asked again), a hidden message's only to moderators and the municipality, a deleted one's to nobody."""
    photo = MessagePhoto.objects.select_related("message").filter(uid=uid, message__deleted=False).first()
    if photo is None or user is None or not user.is_authenticated:
        return None
    message = photo.message
    room = room_for_member(room_id=message.room_id, user=user)
    if message.hidden:
        may_see = (room is not None and room.membership.can_moderate()) or is_municipality(user)
        return photo if may_see else None
    if room is None:
        return None
    room_read_log(room=room, user=user)
    return photo


def message_photos_for_report(*, room_id: int, message_id: int, user) -> list[MessagePhoto]:
    """The photos of a visible message of a neighbourhood room the user still belongs to (for the report
    made from it); empty if any of that no longer holds."""
    room = room_for_member(room_id=room_id, user=user)
    if room is None or room.kind != RoomKind.NEIGHBOURHOOD:
        return []
    return list(
        MessagePhoto.objects.filter(
            message_id=message_id, message__room_id=room_id, message__hidden=False, message__deleted=False
        )
    )
