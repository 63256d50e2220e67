"""Chat rooms: moderation (hiding, muting, leaders, reports) and the room pages."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chat import services
from chat.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Message,
    MessageReport,
    ModerationAction,
    ModerationKind,
)
from tests.chat.rooms_helpers import post
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import square

pytestmark = pytest.mark.django_db


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
