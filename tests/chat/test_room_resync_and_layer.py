"""Resync of what changed while away (edits, deletions, hides, restores) and a channel layer that fails."""

import socket

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from chat import selectors, services
from chat.consumers.rooms import CLOSE_LAYER_DOWN
from chat.models import ModerationAction, ModerationKind
from tests.chat.helpers import reset_channel_layers
from tests.chat.room_consumer_helpers import join, next_frame, open_socket
from tests.chat.rooms_helpers import post

# Changes since a cursor, over HTTP


def _changes(user, room, since):
    client = Client()
    client.force_login(user)
    return client.get(reverse("chat:room_history", args=[room.pk]), {"changed_since": since})


@pytest.mark.django_db
def test_changes_since_a_sync_bring_edits_deletions_and_hides_without_hidden_text(
    room, member, other_member, moderator
):
    edited, deleted, hidden = post(room, member, "uno"), post(room, member, "dos"), post(room, member, "tres")
    since = selectors.now_ms()
    services.message_edit(room_id=room.pk, message_id=edited.pk, by=member, body="uno corregido")
    services.message_delete(room_id=room.pk, message_id=deleted.pk, by=member)
    services.message_hide(message_id=hidden.pk, by=moderator, reason="Ofensivo")

    page = _changes(other_member, room, since).json()
    assert page["complete"] is True and page["synced_at"] >= since
    by_id = {item["id"]: item for item in page["changes"]}
    assert (by_id[edited.pk]["body"], by_id[edited.pk]["edited"]) == ("uno corregido", True)
    assert by_id[deleted.pk] == {"id": deleted.pk, "deleted": True}
    assert by_id[hidden.pk] == {"id": hidden.pk, "hidden": True}
    assert "tres" not in str(page) and "Ofensivo" not in str(page)

    for_moderator = {item["id"]: item for item in _changes(moderator, room, since).json()["changes"]}
    assert (for_moderator[hidden.pk]["body"], for_moderator[hidden.pk]["hidden_reason"]) == (
        "tres",
        "Ofensivo",
    )
    assert for_moderator[deleted.pk] == {"id": deleted.pk, "deleted": True}


@pytest.mark.django_db
def test_a_restored_message_comes_back_in_the_changes(room, member, other_member, moderator, municipality):
    message = post(room, member, "aviso de la junta")
    services.message_hide(message_id=message.pk, by=moderator, reason="spam")
    since = selectors.now_ms()
    hide = ModerationAction.objects.get(kind=ModerationKind.HIDE)
    appeal = services.appeal_file(action_id=hide.pk, by=member, text="Es real")
    services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=True, note="Correcto")
    items = _changes(other_member, room, since).json()["changes"]
    assert [(i["id"], i["body"], i.get("hidden")) for i in items] == [(message.pk, "aviso de la junta", None)]


@pytest.mark.django_db
def test_changes_are_not_missed_by_a_transaction_that_commits_late(room, member, other_member):
    message = post(room, member, "uno")
    services.message_edit(room_id=room.pk, message_id=message.pk, by=member, body="uno bis")
    # The client's cursor is a little after the change's own timestamp: the overlap still brings it.
    items = _changes(other_member, room, selectors.now_ms() + 30_000).json()["changes"]
    assert [i["body"] for i in items] == ["uno bis"]


@pytest.mark.django_db
def test_too_many_changes_ask_the_client_to_reload(room, member, other_member, monkeypatch):
    monkeypatch.setattr(selectors, "CHANGES_MAX", 2)
    for n in range(3):
        post(room, member, f"m{n}")
    page = _changes(other_member, room, 0).json()
    assert (page["complete"], page["changes"]) == (False, [])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"changed_since": "x"}, {"changed_since": "1", "after": "2"}, {"changed_since": "9" * 18}]
)
def test_a_bad_changes_cursor_is_a_clear_400(room, member, query):
    client = Client()
    client.force_login(member)
    response = client.get(reverse("chat:room_history", args=[room.pk]), query)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_cursor"


@pytest.mark.django_db
def test_a_non_member_gets_no_changes(room, member):
    from tests.factories.accounts import UserFactory

    post(room, member, "hola")
    assert _changes(UserFactory(), room, 0).status_code == 403


@pytest.mark.django_db
def test_the_room_page_gives_the_script_its_sync_cursor(client, room, member):
    client.force_login(member)
    config = client.get(reverse("chat:room_detail", args=[room.pk])).context["chat_config"]
    assert isinstance(config["syncedAt"], int) and config["syncedAt"] > 0


# Live events of lifted measures


@pytest.mark.django_db(transaction=True)
async def test_a_lifted_mute_is_told_to_the_member_who_writes_again(layer, room, alice, moderator):
    socket_ = await join(alice, room)
    await sync_to_async(services.member_mute)(
        room_id=room.pk, user_id=alice.pk, by=moderator, hours=1, reason="x"
    )
    assert (await next_frame(socket_))["type"] == "muted"
    await sync_to_async(services.member_unmute)(room_id=room.pk, user_id=alice.pk, by=moderator)
    assert await next_frame(socket_) == {"type": "unmuted"}
    await socket_.send_json_to({"type": "message.send", "client_id": "again", "body": "Gracias"})
    assert (await next_frame(socket_))["type"] in ("ack", "message")
    await socket_.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_restored_message_reaches_the_room(layer, room, alice, bruno, moderator, municipality):
    message = await sync_to_async(post)(room, alice, "reunión el jueves")
    await sync_to_async(services.message_hide)(message_id=message.pk, by=moderator, reason="spam")
    listener = await join(bruno, room)

    def revert():
        hide = ModerationAction.objects.get(kind=ModerationKind.HIDE)
        appeal = services.appeal_file(action_id=hide.pk, by=alice, text="Es real")
        services.appeal_decide(appeal_id=appeal.pk, by=municipality, revert=True, note="Correcto")

    await sync_to_async(revert)()
    frame = await next_frame(listener)
    assert (frame["type"], frame["id"], frame["body"]) == (
        "message.restored",
        message.pk,
        "reunión el jueves",
    )
    assert "client_id" not in frame
    await listener.disconnect()


# The channel layer (Redis) fails: a retryable close, never a crash


@pytest.fixture
def breakable_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.chat.breakable_layer.BreakableLayer"}}
    reset_channel_layers()
    yield
    reset_channel_layers()


@pytest.mark.django_db(transaction=True)
async def test_when_the_layer_fails_mid_connection_the_socket_closes_with_a_retryable_code(
    breakable_layer, room, alice
):
    from channels.layers import get_channel_layer

    socket_ = await join(alice, room)
    get_channel_layer().break_now()
    assert await socket_.receive_output(timeout=3) == {"type": "websocket.close", "code": CLOSE_LAYER_DOWN}
    assert CLOSE_LAYER_DOWN != 4403  # the client's "do not retry" code


@pytest.mark.django_db(transaction=True)
async def test_when_the_layer_is_down_at_connect_the_socket_is_accepted_then_closed_retryable(
    settings, room, alice
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.chat.breakable_layer.BrokenLayer"}}
    reset_channel_layers()
    try:
        socket_, accepted = await open_socket(alice, room)
        assert accepted
        assert await socket_.receive_output(timeout=3) == {
            "type": "websocket.close",
            "code": CLOSE_LAYER_DOWN,
        }
    finally:
        reset_channel_layers()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
async def test_a_real_redis_layer_that_cannot_connect_closes_the_socket_retryable(settings, room, alice):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{_closed_port()}/0"]},
        }
    }
    reset_channel_layers()
    try:
        socket_, accepted = await open_socket(alice, room)
        assert accepted
        assert await socket_.receive_output(timeout=10) == {
            "type": "websocket.close",
            "code": CLOSE_LAYER_DOWN,
        }
    finally:
        reset_channel_layers()


@pytest.mark.django_db(transaction=True)
async def test_messages_sent_while_the_layer_was_down_are_stored_and_resynced(
    breakable_layer, room, alice, bruno
):
    from channels.layers import get_channel_layer

    reader = await join(alice, room)
    get_channel_layer().break_now()
    assert (await reader.receive_output(timeout=3))["code"] == CLOSE_LAYER_DOWN
    # Another process still stores (its broadcast fails quietly): nothing acknowledged is lost.
    stored = await sync_to_async(post)(room, bruno, "escrito durante la caída")
    client_page = await sync_to_async(_history_after)(alice, room, 0)
    assert [m["id"] for m in client_page["messages"]] == [stored.pk]


def _history_after(user, room, after):
    client = Client()
    client.force_login(user)
    return client.get(reverse("chat:room_history", args=[room.pk]), {"after": after}).json()
