"""Fixtures shared by the chat room modules (test_room_*.py and test_room_socket_*.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from chat.models import Membership, MembershipRole, MembershipStatus, Room, RoomKind
from tests.chat.helpers import redis_layer_settings, reset_channel_layers
from tests.chat.room_consumer_helpers import _member, _room
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory


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


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    """Run each test once on the in-memory layer and once on a real Redis layer."""
    if request.param == "redis":
        settings.CHANNEL_LAYERS = redis_layer_settings()
    reset_channel_layers()
    yield request.param
    reset_channel_layers()


@pytest.fixture
def other_room():
    return _room("Los Pinos")


@pytest.fixture
def alice(room):
    return _member(room, first_name="Alicia", last_name="Ruiz", email="alicia@example.cl")


@pytest.fixture
def bruno(room):
    return _member(room, first_name="Bruno", last_name="Díaz")
