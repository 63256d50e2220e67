"""Chat rooms: services, selectors and pages (rooms per neighbourhood, membership, messages, moderation)."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chat import selectors, services
from chat.models import (
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    MessageReport,
    ModerationAction,
    ModerationKind,
    Room,
    RoomKind,
)
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    return Room.objects.create(
        kind=RoomKind.NEIGHBOURHOOD, name="Barrio Centro", neighbourhood=NeighbourhoodFactory()
    )


@pytest.fixture
def join():
    def make(user, room, *, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE, **fields):
        return Membership.objects.create(user=user, room=room, role=role, status=status, **fields)

    return make


@pytest.fixture
def member(room, join):
    user = UserFactory(first_name="Rosa", last_name="Millán", email="rosa@example.cl")
    join(user, room)
    return user


@pytest.fixture
def other_member(room, join):
    user = UserFactory(first_name="Luis", last_name="Soto")
    join(user, room)
    return user


@pytest.fixture
def moderator(room, join):
    user = UserFactory(first_name="Marta")
    join(user, room, role=MembershipRole.MODERATOR)
    return user


@pytest.fixture
def leader(room, join):
    user = UserFactory(first_name="Juan")
    join(user, room, role=MembershipRole.LEADER, leader_term_ends=timezone.localdate() + timedelta(days=365))
    return user


@pytest.fixture
def municipality():
    user = UserFactory(first_name="Marcos")
    user.user_permissions.add(Permission.objects.get(codename="oversee_rooms"))
    return user


def post(room, user, body="Hola vecinos", client_id=""):
    return services.message_post(room_id=room.pk, by=user, body=body, client_id=client_id).message


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


# Moderation


def test_a_moderator_hides_a_message_with_a_reason_and_the_original_is_kept(room, member, moderator):
    message = post(room, member, body="Texto ofensivo")
    services.message_hide(message_id=message.pk, by=moderator, reason="Insulto a un vecino")
    message.refresh_from_db()
    action = ModerationAction.objects.get()
    assert (message.hidden, message.body, message.hidden_by) == (True, "Texto ofensivo", moderator)
    assert (action.kind, action.by, action.message, action.reason) == (
        ModerationKind.HIDE,
        moderator,
        message,
        "Insulto a un vecino",
    )


def test_hiding_without_a_reason_is_refused(room, member, moderator):
    message = post(room, member)
    with pytest.raises(services.ChatRefused) as refused:
        services.message_hide(message_id=message.pk, by=moderator, reason="  ")
    assert refused.value.code == "invalid"
    assert not Message.objects.get().hidden


def test_a_plain_member_cannot_hide_messages(room, member, other_member):
    message = post(room, member)
    with pytest.raises(services.ChatRefused) as refused:
        services.message_hide(message_id=message.pk, by=other_member, reason="No me gusta")
    assert refused.value.code == "not_allowed"


def test_a_moderator_cannot_mute_a_leader_but_a_leader_can_mute_a_moderator(room, leader, moderator):
    with pytest.raises(services.ChatRefused):
        services.member_mute(room_id=room.pk, user_id=leader.pk, by=moderator, hours=1, reason="x")
    services.member_mute(room_id=room.pk, user_id=moderator.pk, by=leader, hours=1, reason="Discusión")
    assert Membership.objects.get(user=moderator).is_muted()
    assert not Membership.objects.get(user=leader).is_muted()


def test_a_leader_whose_term_ended_can_no_longer_moderate(room, member, leader):
    Membership.objects.filter(user=leader).update(leader_term_ends=timezone.localdate() - timedelta(days=1))
    message = post(room, member)
    with pytest.raises(services.ChatRefused) as refused:
        services.message_hide(message_id=message.pk, by=leader, reason="Fuera de tema")
    assert refused.value.code == "not_allowed"


def test_only_the_municipality_appoints_leaders_for_a_term(room, member, municipality):
    term = timezone.localdate() + timedelta(days=180)
    with pytest.raises(services.ChatRefused):
        services.leader_appoint(room_id=room.pk, user_id=member.pk, term_ends=term, by=member)
    services.leader_appoint(room_id=room.pk, user_id=member.pk, term_ends=term, by=municipality)
    membership = Membership.objects.get(user=member)
    assert (membership.role, membership.leader_term_ends, membership.is_leader()) == (
        MembershipRole.LEADER,
        term,
        True,
    )


def test_a_leader_names_a_member_moderator(room, leader, member):
    services.moderator_appoint(room_id=room.pk, user_id=member.pk, by=leader)
    assert Membership.objects.get(user=member).can_moderate()
    assert ModerationAction.objects.get().kind == ModerationKind.APPOINT_MODERATOR


def test_a_moderator_cannot_name_moderators(room, moderator, member):
    with pytest.raises(services.ChatRefused):
        services.moderator_appoint(room_id=room.pk, user_id=member.pk, by=moderator)
    assert Membership.objects.get(user=member).role == MembershipRole.MEMBER


def test_moderation_actions_cannot_be_rewritten(room, member, moderator):
    services.member_mute(room_id=room.pk, user_id=member.pk, by=moderator, hours=1, reason="Spam")
    action = ModerationAction.objects.get()
    action.reason = "otro motivo"
    with pytest.raises(ValueError):
        action.save()


def test_reporting_the_same_message_twice_keeps_one_report(room, member, other_member):
    message = post(room, member)
    first = services.message_report(message_id=message.pk, by=other_member, reason="Es falso")
    again = services.message_report(message_id=message.pk, by=other_member, reason="Es falso")
    assert first.pk == again.pk and MessageReport.objects.count() == 1


def test_hiding_a_reported_message_closes_its_reports(room, member, other_member, moderator):
    message = post(room, member)
    report = services.message_report(message_id=message.pk, by=other_member, reason="Ofensivo")
    services.message_hide(message_id=message.pk, by=moderator, reason="Ofensivo")
    report.refresh_from_db()
    assert (report.handled, report.handled_by) == (True, moderator)


def test_reports_not_handled_in_time_escalate_once_to_the_municipality(room, member, other_member, settings):
    settings.CHAT_REPORT_ESCALATION_HOURS = 12
    message = post(room, member)
    old = services.message_report(message_id=message.pk, by=other_member, reason="Amenaza")
    MessageReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=13))
    assert services.reports_escalate_overdue() == 1
    assert services.reports_escalate_overdue() == 0
    assert MessageReport.objects.get().escalated_at is not None


def test_a_recent_report_is_left_to_the_moderators(room, member, other_member):
    message = post(room, member)
    services.message_report(message_id=message.pk, by=other_member, reason="Amenaza")
    out = io.StringIO()
    call_command("escalate_chat_reports", stdout=out)
    assert "0 denuncias escaladas" in out.getvalue()
    assert MessageReport.objects.get().escalated_at is None


# Pages


def test_room_list_shows_unread_counts(client, room, member, other_member):
    post(room, other_member, body="uno")
    post(room, other_member, body="dos")
    client.force_login(member)
    response = client.get(reverse("chat:room_list"))
    assert "2 mensajes nuevos" in response.content.decode()


def test_room_list_suggests_the_room_of_the_citizens_location(client, room):
    room.neighbourhood.boundary = square(-45.5712, -72.0685)
    room.neighbourhood.save()
    client.force_login(UserFactory())
    response = client.get(reverse("chat:room_list"), {"lat": "-45.5712", "lon": "-72.0685"})
    assert response.context["suggested"] == room


def test_room_list_ignores_a_location_that_is_not_a_number(client, room):
    client.force_login(UserFactory())
    response = client.get(reverse("chat:room_list"), {"lat": "nan", "lon": "x"})
    assert response.status_code == 200 and response.context["suggested"] is None


def test_room_page_of_a_non_member_offers_to_join_and_shows_no_messages(client, room, member):
    post(room, member, body="Mensaje solo para vecinos")
    client.force_login(UserFactory())
    response = client.get(reverse("chat:room_detail", args=[room.pk]))
    body = response.content.decode()
    assert "Unirme" in body and "Mensaje solo para vecinos" not in body


def test_joining_through_the_page_opens_the_room(client, room):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("chat:room_join", args=[room.pk]))
    assert response.url == reverse("chat:room_detail", args=[room.pk])
    assert Membership.objects.get(user=user).status == MembershipStatus.ACTIVE


def test_room_page_escapes_message_text_and_never_shows_an_email(client, room, member, other_member):
    post(room, member, body="<script>alert(1)</script>")
    client.force_login(other_member)
    body = client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert "rosa@example.cl" not in body and "Rosa M." in body


def test_sending_without_javascript_stores_the_message(client, room, member):
    client.force_login(member)
    client.post(reverse("chat:message_send", args=[room.pk]), {"body": "Sin JS", "client_id": "nojs1"})
    assert Message.objects.get().body == "Sin JS"


def test_history_json_resyncs_after_a_cursor_without_identity(client, room, member, other_member):
    seen = post(room, member, body="visto")
    missed = [post(room, other_member, body="perdido 1"), post(room, other_member, body="perdido 2")]
    client.force_login(member)
    response = client.get(reverse("chat:room_history", args=[room.pk]), {"after": seen.pk})
    data = response.json()
    assert [m["id"] for m in data["messages"]] == [m.pk for m in missed]
    assert data["messages"][0]["author"] == "Luis S."
    assert "example.cl" not in response.content.decode() and "client_id" not in data["messages"][0]


def test_history_json_refuses_non_members_and_bad_cursors(client, room, member):
    client.force_login(UserFactory())
    assert client.get(reverse("chat:room_history", args=[room.pk])).status_code == 403
    client.force_login(member)
    bad = client.get(reverse("chat:room_history", args=[room.pk]), {"after": "-1"})
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_cursor")


def test_history_json_hides_hidden_messages_from_members(client, room, member, moderator):
    message = post(room, member, body="oculto")
    services.message_hide(message_id=message.pk, by=moderator, reason="Spam")
    client.force_login(member)
    assert client.get(reverse("chat:room_history", args=[room.pk])).json()["messages"] == []
    client.force_login(moderator)
    [item] = client.get(reverse("chat:room_history", args=[room.pk])).json()["messages"]
    assert (item["hidden"], item["hidden_reason"]) == (True, "Spam")


def test_a_moderator_hides_a_message_through_the_form(client, room, member, moderator):
    message = post(room, member)
    client.force_login(moderator)
    url = reverse("chat:message_moderate", args=[room.pk, message.pk])
    client.post(url, {"action": "hide", "hide-reason": "Datos personales de un vecino"})
    message.refresh_from_db()
    assert (message.hidden, message.hidden_reason) == (True, "Datos personales de un vecino")


def test_a_moderator_mutes_the_author_for_the_hours_chosen(client, room, member, moderator):
    message = post(room, member)
    client.force_login(moderator)
    url = reverse("chat:message_moderate", args=[room.pk, message.pk])
    client.post(url, {"action": "mute", "mute-hours": "24", "mute-reason": "Cadena de spam"})
    muted_until = Membership.objects.get(user=member).muted_until
    assert timedelta(hours=23) < muted_until - timezone.now() <= timedelta(hours=24)


def test_the_moderation_page_is_not_found_for_members(client, room, member, other_member):
    message = post(room, member)
    client.force_login(other_member)
    assert client.get(reverse("chat:message_moderate", args=[room.pk, message.pk])).status_code == 404


def test_a_member_reports_a_message_through_the_form(client, room, member, other_member):
    message = post(room, member)
    client.force_login(other_member)
    client.post(reverse("chat:message_report", args=[room.pk, message.pk]), {"reason": "Es una estafa"})
    assert MessageReport.objects.get().reason == "Es una estafa"


def test_the_moderation_log_is_shown_to_the_municipality(client, room, member, moderator, municipality):
    message = post(room, member)
    services.message_hide(message_id=message.pk, by=moderator, reason="Motivo registrado")
    client.force_login(municipality)
    response = client.get(reverse("chat:room_reports", args=[room.pk]))
    assert "Motivo registrado" in response.content.decode()


def test_escalated_reports_are_for_the_municipality_only(client, municipality):
    client.force_login(UserFactory())
    assert client.get(reverse("chat:escalated_reports")).status_code == 404
    client.force_login(municipality)
    assert client.get(reverse("chat:escalated_reports")).status_code == 200


def test_room_page_config_is_valid_json_for_the_script(client, room, member):
    client.force_login(member)
    body = client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()
    script = body.split('<script id="chat-config" type="application/json">')[1]
    config = json.loads(script.split("</script>")[0])
    assert (config["roomId"], config["socketPath"]) == (room.pk, f"/ws/chat/{room.pk}/")


# Alerts and the roll call


@pytest.fixture
def alert_sender():
    user = UserFactory(first_name="Autoridad")
    user.user_permissions.add(Permission.objects.get(codename="send_alert"))
    return user


def test_an_alert_reaches_every_room_whose_neighbourhood_meets_the_area(alert_sender):
    inside = NeighbourhoodFactory(name="Dentro", boundary=square(-45.57, -72.06))
    NeighbourhoodFactory(name="Lejos", boundary=square(-45.60, -72.10))
    alert = services.alert_send(
        by=alert_sender,
        kind="water_cut",
        title="Corte de agua",
        body="Hasta las 18:00",
        area=square(-45.572, -72.062, half=0.003),
    )
    assert [room.neighbourhood for room in alert.rooms.all()] == [inside]


def test_an_alert_outside_every_neighbourhood_is_refused(alert_sender):
    NeighbourhoodFactory(boundary=square(-45.57, -72.06))
    with pytest.raises(services.ChatRefused) as refused:
        services.alert_send(by=alert_sender, kind="fire", title="Incendio", area=square(-45.40, -71.90))
    assert refused.value.code == "no_rooms"


def test_a_citizen_cannot_send_alerts(room, member):
    with pytest.raises(services.ChatRefused) as refused:
        services.alert_send(
            by=member, kind="fire", title="Incendio", neighbourhood_ids=[room.neighbourhood_id]
        )
    assert refused.value.code == "not_allowed"


def test_a_member_answers_an_alert_and_a_new_answer_replaces_the_old(room, member, alert_sender):
    alert = services.alert_send(
        by=alert_sender, kind="fire", title="Incendio forestal", neighbourhood_ids=[room.neighbourhood_id]
    )
    services.alert_answer(alert_id=alert.pk, by=member, answer="received")
    services.alert_answer(alert_id=alert.pk, by=member, answer="ok")
    assert list(alert.responses.values_list("user", "answer")) == [(member.pk, "ok")]


def test_someone_outside_the_alerted_rooms_cannot_answer(room, alert_sender):
    alert = services.alert_send(
        by=alert_sender, kind="fire", title="Incendio", neighbourhood_ids=[room.neighbourhood_id]
    )
    with pytest.raises(services.ChatRefused) as refused:
        services.alert_answer(alert_id=alert.pk, by=UserFactory(), answer="ok")
    assert refused.value.code == "not_member"


def test_the_roll_call_lists_who_needs_help_and_opted_in_members_who_are_silent(
    room, join, member, other_member, alert_sender
):
    silent_opted_in, silent_not_opted = UserFactory(), UserFactory()
    join(silent_opted_in, room, roll_call_opt_in=True)
    join(silent_not_opted, room)
    alert = services.alert_send(
        by=alert_sender, kind="weather", title="Nevazón", neighbourhood_ids=[room.neighbourhood_id]
    )
    services.alert_answer(alert_id=alert.pk, by=member, answer="need_help")
    services.alert_answer(alert_id=alert.pk, by=other_member, answer="ok")
    roll_call = selectors.alert_roll_call(alert_id=alert.pk, room=room)
    assert roll_call.counts == {"received": 0, "ok": 1, "need_help": 1}
    assert [m.user for m in roll_call.need_help] == [member]
    assert [m.user for m in roll_call.not_answered] == [silent_opted_in]


def test_an_alert_is_pinned_in_the_room_page_until_it_ends(client, room, member, alert_sender):
    alert = services.alert_send(
        by=alert_sender, kind="road_closed", title="Puente cortado", neighbourhood_ids=[room.neighbourhood_id]
    )
    client.force_login(member)
    assert "Puente cortado" in client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()
    type(alert).objects.filter(pk=alert.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    assert "Puente cortado" not in client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()


def test_an_authority_sends_an_alert_through_the_form(client, room, alert_sender):
    client.force_login(alert_sender)
    client.post(
        reverse("chat:alert_new"),
        {"kind": "power_cut", "title": "Corte de luz", "body": "", "whole_comuna": "on", "hours": "6"},
    )
    assert list(room.alerts.values_list("title", flat=True)) == ["Corte de luz"]


def test_the_alert_form_is_not_found_for_citizens(client, member):
    client.force_login(member)
    assert client.get(reverse("chat:alert_new")).status_code == 404


def test_a_member_opts_in_to_the_roll_call(client, room, member):
    client.force_login(member)
    client.post(reverse("chat:roll_call_opt_in", args=[room.pk]), {"opt_in": "1"})
    assert Membership.objects.get(user=member).roll_call_opt_in


# The bridge to incidents


def _incident(**category_fields):
    from tests.factories.cms_content import SubSectionFactory
    from workflows.services import incident_report

    return incident_report(
        category=SubSectionFactory(**category_fields),
        description="Poste caído",
        address="Baquedano 120",
        contact_name="Ana Reportante",
        contact_email="ana.reportante@example.cl",
    )


def test_a_member_shares_a_public_incident_and_its_card_shows_its_status(client, room, member):
    incident = _incident()
    services.incident_share(room_id=room.pk, folio=incident.folio.lower(), by=member)
    services.incident_share(room_id=room.pk, folio=incident.folio, by=member)
    [card] = selectors.incident_cards_for_room(room=room)
    assert (card["folio"], card["status_label"]) == (incident.folio, "Recibido")
    client.force_login(member)
    body = client.get(reverse("chat:room_detail", args=[room.pk])).content.decode()
    assert incident.folio in body and "Ana Reportante" not in body and "ana.reportante" not in body


def test_a_sensitive_incident_cannot_be_shared(room, member):
    incident = _incident(sensitive=True)
    with pytest.raises(services.ChatRefused) as refused:
        services.incident_share(room_id=room.pk, folio=incident.folio, by=member)
    assert refused.value.code == "not_found"
    assert not room.shared_incidents.exists()


def test_a_non_member_cannot_share_an_incident(room):
    incident = _incident()
    with pytest.raises(services.ChatRefused) as refused:
        services.incident_share(room_id=room.pk, folio=incident.folio, by=UserFactory())
    assert refused.value.code == "not_member"


def test_a_member_says_a_shared_incident_affects_them_too(client, room, member):
    incident = _incident()
    shared = services.incident_share(room_id=room.pk, folio=incident.folio, by=member)
    client.force_login(member)
    client.post(reverse("chat:incident_support", args=[room.pk, shared.pk]))
    client.post(reverse("chat:incident_support", args=[room.pk, shared.pk]))
    incident.refresh_from_db()
    assert incident.supporters_count == 1


def test_turning_a_message_into_a_report_keeps_its_text_as_a_draft(client, room, member, other_member):
    message = post(room, other_member, body="Hay un perro herido en la plaza")
    client.force_login(member)
    response = client.post(reverse("chat:message_to_report", args=[room.pk, message.pk]))
    assert response.url == reverse("portal:report_start")
    draft = client.session[services.REPORT_DRAFT_SESSION_KEY]
    assert draft == {
        "description": "Hay un perro herido en la plaza",
        "room_id": room.pk,
        "message_id": message.pk,
    }


def test_a_hidden_message_cannot_become_a_report_draft(client, room, member, other_member, moderator):
    message = post(room, other_member, body="Oculto")
    services.message_hide(message_id=message.pk, by=moderator, reason="Spam")
    client.force_login(member)
    client.post(reverse("chat:message_to_report", args=[room.pk, message.pk]))
    assert services.REPORT_DRAFT_SESSION_KEY not in client.session
