"""Chat rooms: rooms per neighbourhood, joining, posting, history and unread counts."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from chat import selectors, services
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
from tests.chat.rooms_helpers import post
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


# Rooms from the CMS neighbourhoods


def test_every_active_neighbourhood_gets_one_room_and_a_second_sync_creates_none():
    NeighbourhoodFactory(name="Los Pinos"), NeighbourhoodFactory(active=False)
    assert services.room_sync_neighbourhoods() == 1
    assert services.room_sync_neighbourhoods() == 0
    assert list(Room.objects.values_list("name", "kind")) == [("Los Pinos", RoomKind.NEIGHBOURHOOD)]


def test_deactivating_a_neighbourhood_closes_its_room_and_renaming_renames_it(room):
    neighbourhood = room.neighbourhood
    neighbourhood.name, neighbourhood.active = "Centro Histórico", False
    neighbourhood.save()
    services.room_sync_neighbourhoods()
    room.refresh_from_db()
    assert (room.name, room.active) == ("Centro Histórico", False)


def test_sync_chat_rooms_command_creates_the_rooms():
    NeighbourhoodFactory(), NeighbourhoodFactory()
    out = io.StringIO()
    call_command("sync_chat_rooms", stdout=out)
    assert Room.objects.filter(kind=RoomKind.NEIGHBOURHOOD).count() == 2
    assert "2 salas creadas" in out.getvalue()


def test_room_list_creates_missing_neighbourhood_rooms_on_first_visit():
    NeighbourhoodFactory(name="Villa Austral")
    listing = selectors.room_list_for_user(user=UserFactory())
    assert [room.name for room in listing.joinable] == ["Villa Austral"]


# Joining


def test_joining_an_open_room_makes_an_active_member(room):
    user = UserFactory()
    membership = services.room_join(room_id=room.pk, by=user)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, MembershipRole.MEMBER)
    assert selectors.room_for_member(room_id=room.pk, user=user) == room


def test_joining_a_room_with_approval_waits_until_a_leader_approves(room, leader):
    room.join_policy = JoinPolicy.APPROVAL
    room.save()
    user = UserFactory()
    membership = services.room_join(room_id=room.pk, by=user)
    assert selectors.room_for_member(room_id=room.pk, user=user) is None
    services.membership_approve(membership_id=membership.pk, by=leader)
    assert selectors.room_for_member(room_id=room.pk, user=user) == room
    assert ModerationAction.objects.get().kind == ModerationKind.APPROVE


def test_a_plain_member_cannot_approve_a_request(room, member):
    room.join_policy = JoinPolicy.APPROVAL
    room.save()
    membership = services.room_join(room_id=room.pk, by=UserFactory())
    with pytest.raises(services.ChatRefused) as refused:
        services.membership_approve(membership_id=membership.pk, by=member)
    assert refused.value.code == "not_allowed"


def test_a_removed_member_cannot_rejoin_alone(room, member, moderator):
    services.member_remove(room_id=room.pk, user_id=member.pk, by=moderator, reason="Insultos reiterados")
    with pytest.raises(services.ChatRefused) as refused:
        services.room_join(room_id=room.pk, by=member)
    assert refused.value.code == "removed"


def test_citizen_cannot_join_an_incident_coordination_room():
    incident_room = Room.objects.create(kind=RoomKind.INCIDENT, name="CN-2026-000001", incident_id=1)
    with pytest.raises(services.ChatRefused) as refused:
        services.room_join(room_id=incident_room.pk, by=UserFactory())
    assert refused.value.code == "not_allowed"


# Posting


def test_a_member_posts_a_message_that_is_stored_as_typed(room, member):
    message = post(room, member, body="  <b>Corte de luz</b> en Baquedano  ")
    assert Message.objects.get().body == "<b>Corte de luz</b> en Baquedano"
    assert message.author == member


def test_posting_again_with_the_same_client_id_returns_the_first_message(room, member):
    first = services.message_post(room_id=room.pk, by=member, body="Hola", client_id="abc123")
    again = services.message_post(room_id=room.pk, by=member, body="Hola", client_id="abc123")
    assert (again.message.pk, again.created, first.created) == (first.message.pk, False, True)
    assert Message.objects.count() == 1


def test_a_non_member_cannot_post(room):
    with pytest.raises(services.ChatRefused) as refused:
        post(room, UserFactory())
    assert refused.value.code == "not_member"
    assert not Message.objects.exists()


def test_a_pending_member_cannot_post(room, join):
    user = UserFactory()
    join(user, room, status=MembershipStatus.PENDING)
    with pytest.raises(services.ChatRefused) as refused:
        post(room, user)
    assert refused.value.code == "not_member"


def test_a_muted_member_cannot_post_until_the_mute_ends(room, member, moderator):
    services.member_mute(room_id=room.pk, user_id=member.pk, by=moderator, hours=2, reason="Spam")
    with pytest.raises(services.ChatRefused) as refused:
        post(room, member)
    assert refused.value.code == "muted"
    Membership.objects.filter(user=member).update(muted_until=timezone.now() - timedelta(minutes=1))
    assert post(room, member).pk


@pytest.mark.parametrize(
    ("body", "code"),
    [("x" * 4001, "too_long"), ("   ", "empty"), ("hola\x00", "invalid_text"), ("a\ud800b", "invalid_text")],
)
def test_bad_text_is_refused_and_nothing_is_stored(room, member, body, code):
    with pytest.raises(services.ChatRefused) as refused:
        post(room, member, body=body)
    assert refused.value.code == code
    assert not Message.objects.exists()


def test_a_message_of_exactly_4000_characters_is_accepted(room, member):
    assert len(post(room, member, body="y" * 4000).body) == 4000


def test_posting_faster_than_the_rate_limit_is_refused(room, member, settings):
    settings.CHAT_MESSAGE_RATE = (3, 60)
    for n in range(3):
        post(room, member, body=f"mensaje {n}")
    with pytest.raises(services.ChatRefused) as refused:
        post(room, member, body="uno más")
    assert refused.value.code == "rate_limited"
    assert Message.objects.count() == 3


def test_resending_a_stored_message_does_not_count_against_the_rate_limit(room, member, settings):
    settings.CHAT_MESSAGE_RATE = (1, 60)
    first = services.message_post(room_id=room.pk, by=member, body="Hola", client_id="c1")
    again = services.message_post(room_id=room.pk, by=member, body="Hola", client_id="c1")
    assert again.message.pk == first.message.pk


def test_an_author_edits_their_message_and_nobody_else_can(room, member, other_member):
    message = post(room, member, body="Reunión a las 18")
    services.message_edit(room_id=room.pk, message_id=message.pk, by=member, body="Reunión a las 19")
    with pytest.raises(services.ChatRefused) as refused:
        services.message_edit(room_id=room.pk, message_id=message.pk, by=other_member, body="Nada")
    message.refresh_from_db()
    assert (message.body, message.edited_at is not None, refused.value.code) == (
        "Reunión a las 19",
        True,
        "not_allowed",
    )


def test_a_deleted_message_keeps_its_text_but_leaves_the_history(room, member):
    message = post(room, member, body="Me equivoqué de sala")
    services.message_delete(room_id=room.pk, message_id=message.pk, by=member)
    assert Message.objects.get().body == "Me equivoqué de sala"
    assert selectors.message_history(room=room, for_moderator=True).messages == []


# History and unread counts


def test_history_hides_hidden_messages_from_members_but_not_from_moderators(room, member, moderator):
    visible, rude = post(room, member, body="Buenos días"), post(room, member, body="Grosería")
    services.message_hide(message_id=rude.pk, by=moderator, reason="Lenguaje ofensivo")
    assert selectors.message_history(room=room, for_moderator=False).messages == [visible]
    assert selectors.message_history(room=room, for_moderator=True).messages == [visible, rude]


def test_history_after_a_cursor_returns_the_newer_messages_in_order(room, member):
    messages = [post(room, member, body=f"m{n}") for n in range(5)]
    page = selectors.message_history(room=room, for_moderator=False, after_id=messages[1].pk, limit=2)
    assert (page.messages, page.has_more) == (messages[2:4], True)


def test_history_before_a_cursor_returns_the_older_page_oldest_first(room, member):
    messages = [post(room, member, body=f"m{n}") for n in range(5)]
    page = selectors.message_history(room=room, for_moderator=False, before_id=messages[4].pk, limit=2)
    assert (page.messages, page.has_more) == (messages[2:4], True)


def test_unread_count_leaves_out_own_hidden_and_already_read_messages(room, member, other_member, moderator):
    read = post(room, other_member, body="leído")
    services.membership_mark_read(room_id=room.pk, by=member, message_id=read.pk)
    post(room, member, body="mío")  # sending marks what came before as read
    post(room, other_member, body="nuevo 1")
    post(room, other_member, body="nuevo 2")
    hidden = post(room, other_member, body="oculto")
    services.message_hide(message_id=hidden.pk, by=moderator, reason="Fuera de tema")
    listing = selectors.room_list_for_user(user=member)
    assert [(m.room, m.unread) for m in listing.memberships] == [(room, 2)]


def test_read_position_never_moves_back(room, member, other_member):
    first, second = post(room, other_member), post(room, other_member, body="otro")
    services.membership_mark_read(room_id=room.pk, by=member, message_id=second.pk)
    services.membership_mark_read(room_id=room.pk, by=member, message_id=first.pk)
    assert Membership.objects.get(user=member).last_read_message_id == second.pk
