"""Lifting measures early (unmute, readmit), appeals to the municipality, leaders' terms and approvals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chat import selectors, services
from chat.models import (
    AppealStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    ModerationAction,
    ModerationAppeal,
    ModerationKind,
)
from tests.chat.rooms_helpers import post

pytestmark = pytest.mark.django_db


def _mute(room, member, moderator, hours=24):
    return services.member_mute(room_id=room.pk, user_id=member.pk, by=moderator, hours=hours, reason="Spam")


def _action(kind, **filters):
    return ModerationAction.objects.filter(kind=kind, **filters).latest("id")


# Unmute early and lift a removal


def test_a_moderator_unmutes_a_member_early_and_it_is_logged(room, member, moderator):
    _mute(room, member, moderator)
    services.member_unmute(room_id=room.pk, user_id=member.pk, by=moderator, reason="Se disculpó")
    assert not Membership.objects.get(user=member).is_muted()
    assert _action(ModerationKind.UNMUTE).reason == "Se disculpó"
    assert post(room, member, "Perdón a todos").body == "Perdón a todos"


def test_unmuting_someone_who_is_not_muted_is_refused(room, member, moderator):
    with pytest.raises(services.ChatRefused) as refused:
        services.member_unmute(room_id=room.pk, user_id=member.pk, by=moderator)
    assert refused.value.code == "invalid"
    assert not ModerationAction.objects.filter(kind=ModerationKind.UNMUTE).exists()


def test_a_plain_member_cannot_unmute(room, member, other_member, moderator):
    _mute(room, member, moderator)
    with pytest.raises(services.ChatRefused):
        services.member_unmute(room_id=room.pk, user_id=member.pk, by=other_member)
    assert Membership.objects.get(user=member).is_muted()


def test_a_moderator_lifts_a_removal_and_it_is_logged(room, member, moderator):
    services.member_remove(room_id=room.pk, user_id=member.pk, by=moderator, reason="Insultos")
    services.member_readmit(room_id=room.pk, user_id=member.pk, by=moderator, reason="Error de moderación")
    membership = Membership.objects.get(user=member)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, MembershipRole.MEMBER)
    assert _action(ModerationKind.READMIT).member == member
    assert selectors.room_for_member(room_id=room.pk, user=member) is not None


def test_lifting_a_removal_of_an_active_member_is_refused(room, member, moderator):
    with pytest.raises(services.ChatRefused) as refused:
        services.member_readmit(room_id=room.pk, user_id=member.pk, by=moderator)
    assert refused.value.code == "not_member"


def test_the_members_page_unmutes_and_readmits(client, room, member, other_member, leader):
    _mute(room, member, leader)
    services.member_remove(room_id=room.pk, user_id=other_member.pk, by=leader, reason="Insultos")
    client.force_login(leader)
    url = reverse("chat:room_members", args=[room.pk])
    page = client.get(url).content.decode()
    assert "Quitar el silencio" in page and "Levantar el retiro" in page
    muted = Membership.objects.get(user=member)
    removed = Membership.objects.get(user=other_member)
    client.post(url, {"membership": muted.pk, "action": "unmute", "reason": ""})
    client.post(url, {"membership": removed.pk, "action": "readmit", "reason": "Conversado"})
    muted.refresh_from_db()
    removed.refresh_from_db()
    assert (muted.is_muted(), removed.status) == (False, MembershipStatus.ACTIVE)


# Leaders: approvals through the page, a renewable term


def test_a_leader_approves_a_join_request_through_the_members_page(client, room, leader):
    from tests.factories.accounts import UserFactory

    room.join_policy = "approval"
    room.save()
    neighbour = UserFactory(first_name="Pedro")
    request = services.room_join(room_id=room.pk, by=neighbour)
    assert request.status == MembershipStatus.PENDING
    client.force_login(leader)
    url = reverse("chat:room_members", args=[room.pk])
    assert "Pedro" in client.get(url).content.decode()
    client.post(url, {"membership": request.pk, "action": "approve"})
    request.refresh_from_db()
    assert request.status == MembershipStatus.ACTIVE
    assert _action(ModerationKind.APPROVE).member == neighbour


def test_the_municipality_renews_a_leaders_term_and_an_expired_leader_moderates_again(
    client, room, member, leader, municipality
):
    Membership.objects.filter(user=leader).update(leader_term_ends=timezone.localdate() - timedelta(days=1))
    assert not Membership.objects.get(user=leader).is_leader()
    client.force_login(municipality)
    new_term = timezone.localdate() + timedelta(days=365)
    membership = Membership.objects.get(user=leader)
    response = client.post(
        reverse("chat:room_members", args=[room.pk]),
        {"membership": membership.pk, "action": "leader", "term_ends": new_term.isoformat()},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.leader_term_ends, membership.is_leader()) == (new_term, True)
    assert _action(ModerationKind.APPOINT_LEADER).reason == new_term.isoformat()
    services.message_hide(message_id=post(room, member).pk, by=leader, reason="Fuera de tema")


def test_a_leader_cannot_renew_their_own_term(client, room, leader):
    client.force_login(leader)
    membership = Membership.objects.get(user=leader)
    before = membership.leader_term_ends
    client.post(
        reverse("chat:room_members", args=[room.pk]),
        {"membership": membership.pk, "action": "leader", "term_ends": "2099-01-01"},
    )
    membership.refresh_from_db()
    assert membership.leader_term_ends == before


# Appeals


def test_the_author_of_a_hidden_message_appeals_and_the_municipality_reverts(
    room, member, other_member, moderator, municipality
):
    message = post(room, member, "Mañana hay reunión en la sede")
    services.message_hide(message_id=message.pk, by=moderator, reason="Parecía spam")
    hide = _action(ModerationKind.HIDE)
    appeal = services.appeal_file(action_id=hide.pk, by=member, text="Es un aviso real de la junta")
    assert appeal.status == AppealStatus.PENDING
    services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=True, note="Era un aviso válido")
    message.refresh_from_db()
    assert message.hidden is False
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == (AppealStatus.REVERTED, municipality)
    assert _action(ModerationKind.APPEAL_REVERTED).reason == "Era un aviso válido"
    visible = selectors.message_history(room=room, for_moderator=False).messages
    assert message in visible


def test_reverting_a_mute_and_a_removal_gives_the_member_back_their_voice_and_place(
    room, member, other_member, moderator, municipality
):
    _mute(room, member, moderator)
    services.member_remove(room_id=room.pk, user_id=other_member.pk, by=moderator, reason="Insultos")
    for user, kind in ((member, ModerationKind.MUTE), (other_member, ModerationKind.REMOVE)):
        appeal = services.appeal_file(action_id=_action(kind, member=user).pk, by=user, text="Injusto")
        services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=True, note="Revisado")
    assert not Membership.objects.get(user=member).is_muted()
    assert Membership.objects.get(user=other_member).status == MembershipStatus.ACTIVE


def test_an_upheld_appeal_changes_nothing_but_is_logged(room, member, moderator, municipality):
    _mute(room, member, moderator)
    appeal = services.appeal_file(action_id=_action(ModerationKind.MUTE).pk, by=member, text="Injusto")
    services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=False, note="La medida fue correcta")
    assert Membership.objects.get(user=member).is_muted()
    assert ModerationAppeal.objects.get().status == AppealStatus.UPHELD
    assert _action(ModerationKind.APPEAL_UPHELD).member == member
    with pytest.raises(services.ChatRefused) as refused:
        services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=True, note="Otra vez")
    assert refused.value.code == "invalid"


def test_only_the_affected_member_appeals_and_only_once(room, member, other_member, moderator):
    _mute(room, member, moderator)
    action = _action(ModerationKind.MUTE)
    with pytest.raises(services.ChatRefused) as refused:
        services.appeal_file(action_id=action.pk, by=other_member, text="Por mi vecina")
    assert refused.value.code == "not_found"
    first = services.appeal_file(action_id=action.pk, by=member, text="Injusto")
    again = services.appeal_file(action_id=action.pk, by=member, text="Insisto")
    assert first.pk == again.pk
    assert ModerationAppeal.objects.get().text == "Injusto"


def test_an_appeal_needs_a_text_and_actions_that_are_not_measures_cannot_be_appealed(
    room, member, leader, municipality
):
    _mute(room, member, leader)
    with pytest.raises(services.ChatRefused):
        services.appeal_file(action_id=_action(ModerationKind.MUTE).pk, by=member, text="   ")
    services.leader_appoint(
        room_id=room.pk,
        user_id=member.pk,
        term_ends=timezone.localdate() + timedelta(days=9),
        by=municipality,
    )
    with pytest.raises(services.ChatRefused):
        services.appeal_file(action_id=_action(ModerationKind.APPOINT_LEADER).pk, by=member, text="No quiero")
    assert not ModerationAppeal.objects.exists()


def test_only_the_municipality_decides(room, member, moderator, leader):
    _mute(room, member, moderator)
    appeal = services.appeal_file(action_id=_action(ModerationKind.MUTE).pk, by=member, text="Injusto")
    for user in (moderator, leader, member):
        with pytest.raises(services.ChatRefused):
            services.appeal_decide(appeal_id=appeal.pk, by=user, revert=True, note="Sí")
    assert ModerationAppeal.objects.get().status == AppealStatus.PENDING


def test_appeal_pages_file_and_decide(client, room, member, moderator, municipality):
    message = post(room, member, "Texto ocultado")
    services.message_hide(message_id=message.pk, by=moderator, reason="Fuera de tema")
    client.force_login(member)
    page = client.get(reverse("chat:appeal_list")).content.decode()
    assert "Texto ocultado" in page and "Fuera de tema" in page
    hide = _action(ModerationKind.HIDE)
    response = client.post(reverse("chat:appeal_list"), {"action": hide.pk, "text": "No era fuera de tema"})
    assert response.status_code == 302
    appeal = ModerationAppeal.objects.get()
    assert client.get(reverse("chat:appeal_review")).status_code == 404

    client.force_login(municipality)
    review = client.get(reverse("chat:appeal_review")).content.decode()
    assert "No era fuera de tema" in review
    client.post(
        reverse("chat:appeal_review"), {"appeal": appeal.pk, "decision": "revert", "note": "Correcto"}
    )
    assert Message.objects.get(pk=message.pk).hidden is False

    client.force_login(member)
    assert "Medida revertida" in client.get(reverse("chat:appeal_list")).content.decode()


def test_appeal_pages_refuse_bad_input_without_changes(client, room, member, moderator, municipality):
    _mute(room, member, moderator)
    client.force_login(member)
    for data in ({"action": "x", "text": "Hola"}, {"action": _action(ModerationKind.MUTE).pk, "text": ""}):
        assert client.post(reverse("chat:appeal_list"), data).status_code == 200
    assert not ModerationAppeal.objects.exists()
    client.force_login(municipality)
    response = client.post(reverse("chat:appeal_review"), {"appeal": "1", "decision": "borrar", "note": "x"})
    assert response.status_code == 302


def test_the_removed_page_points_to_the_appeal(client, room, member, moderator):
    services.member_remove(room_id=room.pk, user_id=member.pk, by=moderator, reason="Insultos")
    client.force_login(member)
    page = client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()
    assert reverse("chat:appeal_list") in page


def test_the_municipality_reaches_every_rooms_log_and_members_from_the_room_list(
    client, room, municipality, member
):
    client.force_login(municipality)
    page = client.get(reverse("chat:room_list")).content.decode()
    assert reverse("chat:room_reports", args=[room.pk]) in page
    assert reverse("chat:room_members", args=[room.pk]) in page
    client.force_login(member)
    assert (
        reverse("chat:room_reports", args=[room.pk])
        not in client.get(reverse("chat:room_list")).content.decode()
    )
