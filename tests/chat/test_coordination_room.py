"""Incident coordination rooms: the live thread of the staff working an incident."""

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse

from chat import selectors, services
from chat.models import Membership, Message, Room, RoomKind
from cms_content.models import ActorMembership
from tests.chat.room_consumer_helpers import assert_closed_with_4403, join, next_frame, open_socket
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import ActorFactory, SubSectionFactory
from workflows.models import SensitiveReadLog

pytestmark = pytest.mark.django_db


def _incident(actor, **category_fields):
    from workflows.services import incident_report

    return incident_report(
        category=SubSectionFactory(responsible_actor=actor, **category_fields),
        description="Árbol caído sobre la calzada",
        address="Baquedano 120",
        contact_name="Ana Reportante",
        contact_email="ana.reportante@example.cl",
    )


@pytest.fixture
def incident(actor):
    return _incident(actor)


@pytest.fixture
def colleague(actor, make_member):
    user = UserFactory(first_name="Carla", last_name="Mena")
    make_member(user, actor)
    return user


def _room_url(incident):
    return reverse("chat:incident_room", kwargs={"incident_id": incident.pk})


def test_staff_of_the_responsible_actor_open_the_room_created_once(client, incident, agency_staff, colleague):
    client.force_login(agency_staff)
    assert client.get(_room_url(incident)).status_code == 200
    client.force_login(colleague)
    response = client.get(_room_url(incident))
    assert response.status_code == 200
    room = Room.objects.get(kind=RoomKind.INCIDENT, incident_id=incident.pk)
    assert incident.folio in room.name
    assert set(room.memberships.values_list("user_id", flat=True)) == {agency_staff.pk, colleague.pk}
    # Same protocol and socket as the neighbourhood rooms; no citizen features in the page.
    assert f"/ws/chat/{room.pk}/" in response.content.decode()
    assert reverse("chat:incident_share", args=[room.pk]) not in response.content.decode()


def test_staff_write_and_the_other_staff_read(incident, agency_staff, colleague):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    services.incident_room_open(incident_id=incident.pk, by=colleague)
    services.message_post(room_id=room.pk, by=agency_staff, body="Voy en camino con la motosierra")
    history = selectors.message_history(
        room=selectors.room_for_member(room_id=room.pk, user=colleague), for_moderator=False
    )
    assert [m.body for m in history.messages] == ["Voy en camino con la motosierra"]


@pytest.mark.parametrize("who", ["citizen", "reporter", "other_actor", "authority"])
def test_nobody_outside_the_incidents_staff_can_open_it(
    client, incident, agency_staff, who, authority, citizen
):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    services.message_post(room_id=room.pk, by=agency_staff, body="Dato interno")
    if who == "citizen":
        user = citizen
    elif who == "reporter":
        user = UserFactory()
        type(incident).objects.filter(pk=incident.pk).update(reporter=user)
    elif who == "other_actor":
        user = UserFactory()
        ActorMembership.objects.create(user=user, actor=ActorFactory())
    else:
        user = authority  # the municipality oversees neighbourhood rooms, not a case's coordination
    client.force_login(user)
    assert client.get(_room_url(incident)).status_code == 404
    assert client.get(reverse("chat:room_detail", args=[room.pk])).status_code == 404
    assert client.get(reverse("chat:room_history", args=[room.pk])).status_code == 403
    assert client.get(reverse("chat:room_reports", args=[room.pk])).status_code == 404
    with pytest.raises(services.ChatRefused):
        services.room_join(room_id=room.pk, by=user)
    with pytest.raises(services.ChatRefused):
        services.message_post(room_id=room.pk, by=user, body="Hola")


def test_auditors_read_but_cannot_write(client, incident, agency_staff, auditor):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    services.message_post(room_id=room.pk, by=agency_staff, body="Corte de tránsito a las 10")
    client.force_login(auditor)
    response = client.get(_room_url(incident))
    assert response.status_code == 200
    assert "Corte de tránsito a las 10" in response.content.decode()
    assert "no escribir" in response.content.decode()
    with pytest.raises(services.ChatRefused) as refused:
        services.message_post(room_id=room.pk, by=auditor, body="Hola")
    assert refused.value.code == "not_allowed"
    history = client.get(reverse("chat:room_history", args=[room.pk]), {"after": 0}).json()
    assert [m["body"] for m in history["messages"]] == ["Corte de tránsito a las 10"]


def test_staff_who_leave_the_actor_lose_the_room(client, incident, agency_staff):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    ActorMembership.objects.filter(user=agency_staff).delete()
    client.force_login(agency_staff)
    assert client.get(_room_url(incident)).status_code == 404
    assert selectors.room_for_member(room_id=room.pk, user=agency_staff) is None
    assert selectors.room_list_for_user(user=agency_staff).memberships == []


def test_the_room_list_shows_the_coordination_room_with_unread_count(
    client, incident, agency_staff, colleague
):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    services.incident_room_open(incident_id=incident.pk, by=colleague)
    services.message_post(room_id=room.pk, by=colleague, body="Llegamos")
    client.force_login(agency_staff)
    page = client.get(reverse("chat:room_list")).content.decode()
    assert room.name in page
    assert "1 mensaje nuevo" in page


def test_nobody_moderates_or_reports_in_a_coordination_room(incident, agency_staff, colleague, authority):
    room = services.incident_room_open(incident_id=incident.pk, by=agency_staff)
    services.incident_room_open(incident_id=incident.pk, by=colleague)
    message = services.message_post(room_id=room.pk, by=agency_staff, body="Dato").message
    with pytest.raises(services.ChatRefused):
        services.message_hide(message_id=message.pk, by=authority, reason="x")
    with pytest.raises(services.ChatRefused):
        services.message_report(message_id=message.pk, by=colleague, reason="x")
    with pytest.raises(services.ChatRefused):
        services.message_report_draft(room_id=room.pk, message_id=message.pk, by=colleague)


def test_an_unknown_incident_has_no_room(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("chat:incident_room", kwargs={"incident_id": 999999})).status_code == 404
    assert not Room.objects.filter(kind=RoomKind.INCIDENT).exists()


def test_reading_a_sensitive_incidents_room_is_logged(client, actor, agency_manager, auditor):
    incident = _incident(actor, sensitive=True, public=False)
    client.force_login(agency_manager)
    assert client.get(_room_url(incident)).status_code == 200
    room = Room.objects.get(incident_id=incident.pk)
    client.get(reverse("chat:room_history", args=[room.pk]), {"after": 0})
    client.force_login(auditor)
    assert client.get(_room_url(incident)).status_code == 200
    logs = list(SensitiveReadLog.objects.filter(what="coordination_chat").values_list("user_id", "via"))
    assert logs.count((agency_manager.pk, "staff")) == 2
    assert (auditor.pk, "audit") in logs


def test_staff_not_cleared_for_sensitive_cases_cannot_open_a_sensitive_incidents_room(
    client, actor, agency_staff
):
    incident = _incident(actor, sensitive=True, public=False)
    client.force_login(agency_staff)
    assert client.get(_room_url(incident)).status_code == 404


def test_a_public_incidents_room_reads_are_not_logged(client, incident, agency_staff):
    client.force_login(agency_staff)
    client.get(_room_url(incident))
    assert not SensitiveReadLog.objects.exists()


# Over the socket


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_two_staff_exchange_messages_over_the_socket(actor, make_member):
    staff_a, staff_b = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    await sync_to_async(make_member)(staff_a, actor)
    await sync_to_async(make_member)(staff_b, actor)
    incident = await sync_to_async(_incident)(actor)
    room = await sync_to_async(services.incident_room_open)(incident_id=incident.pk, by=staff_a)
    await sync_to_async(services.incident_room_open)(incident_id=incident.pk, by=staff_b)
    a, b = await join(staff_a, room), await join(staff_b, room)
    await a.send_json_to({"type": "message.send", "client_id": "c1", "body": "Cierro el paso norte"})
    frames = [await next_frame(a), await next_frame(a)]
    assert {f["type"] for f in frames} == {"ack", "message"}
    heard = await next_frame(b)
    assert (heard["type"], heard["body"]) == ("message", "Cierro el paso norte")
    assert await sync_to_async(Message.objects.filter(room=room).count)() == 1
    await a.disconnect()
    await b.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_socket_rechecks_access_on_connect_and_refuses_auditors_writes(actor, make_member):
    staff, auditor = await sync_to_async(lambda: (UserFactory(), UserFactory()))()
    await sync_to_async(make_member)(staff, actor)

    def make_auditor():
        from django.contrib.auth.models import Permission

        auditor.user_permissions.add(Permission.objects.get(codename="audit_incident"))

    await sync_to_async(make_auditor)()
    incident = await sync_to_async(_incident)(actor)
    room = await sync_to_async(services.incident_room_open)(incident_id=incident.pk, by=staff)
    await sync_to_async(services.incident_room_open)(incident_id=incident.pk, by=auditor)

    reader = await join(auditor, room)
    await reader.send_json_to({"type": "message.send", "client_id": "a1", "body": "Hola"})
    assert await next_frame(reader) == {
        "type": "error",
        "code": "not_allowed",
        "client_id": "a1",
        "detail": "Auditoría: puede leer esta sala, pero no escribir en ella.",
    }
    await reader.disconnect()

    # Staff moved to another actor: their membership row remains, the socket is refused anyway.
    await sync_to_async(ActorMembership.objects.filter(user=staff).delete)()
    assert await sync_to_async(Membership.objects.filter(user=staff, room=room).exists)()
    communicator, accepted = await open_socket(staff, room)
    assert accepted
    await assert_closed_with_4403(communicator)
