"""Helpers shared by the chat room socket modules (test_room_socket_*.py); fixtures are in conftest.py."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from chat.models import Membership, MembershipRole, MembershipStatus, Room, RoomKind
from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, session_cookie_for
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory


def _room(name):
    return Room.objects.create(kind=RoomKind.NEIGHBOURHOOD, name=name, neighbourhood=NeighbourhoodFactory())


def _member(room, *, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE, **user_fields):
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, room=room, role=role, status=status)
    return user


async def open_socket(user, room, *, origin=ORIGIN):
    """Connect as `user` (None: anonymous); returns (communicator, accepted)."""
    headers = [origin]
    if user is not None:
        headers.append(await sync_to_async(session_cookie_for)(user))
    communicator = WebsocketCommunicator(application, f"/ws/chat/{room.pk}/", headers=headers)
    accepted, _ = await communicator.connect(timeout=5)
    return communicator, accepted


async def join(user, room):
    """Connect a member and take their own presence frame."""
    communicator, accepted = await open_socket(user, room)
    assert accepted
    assert (await communicator.receive_json_from(timeout=3))["type"] == "presence"
    return communicator


async def next_frame(communicator):
    """The next frame that is not a presence update (others joining or leaving)."""
    frame = await communicator.receive_json_from(timeout=3)
    while frame["type"] == "presence":
        frame = await communicator.receive_json_from(timeout=3)
    return frame


async def assert_closed_with_4403(communicator):
    assert await communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


def _history_as(user, room, *, after):
    client = Client()
    client.force_login(user)
    return client.get(reverse("chat:room_history", args=[room.pk]), {"after": after}).json()
