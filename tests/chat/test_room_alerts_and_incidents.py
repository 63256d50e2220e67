"""Chat rooms: alerts and the roll call, and the bridge to incidents."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from chat import selectors, services
from chat.models import Membership
from tests.chat.rooms_helpers import post
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


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
        "latitude": None,
        "longitude": None,
        "photo_uids": [],
    }


def test_a_hidden_message_cannot_become_a_report_draft(client, room, member, other_member, moderator):
    message = post(room, other_member, body="Oculto")
    services.message_hide(message_id=message.pk, by=moderator, reason="Spam")
    client.force_login(member)
    client.post(reverse("chat:message_to_report", args=[room.pk, message.pk]))
    assert services.REPORT_DRAFT_SESSION_KEY not in client.session
