"""Shared fixtures: one user per role (DESIGN.md §1), actor membership, reference data."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms_content.models import ActorMembership
from portal.roles import ROLE_PERMISSIONS, Role
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import ActorFactory


def _user_with_role(role: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def actor(db):
    return ActorFactory()


@pytest.fixture
def make_member():
    """Put a user in an actor (agency)."""

    def make(user, actor, *, is_manager=False):
        return ActorMembership.objects.create(user=user, actor=actor, is_manager=is_manager)

    return make


@pytest.fixture
def citizen(db):
    return _user_with_role(Role.CITIZEN)


@pytest.fixture
def neighbourhood_leader(db):
    return _user_with_role(Role.NEIGHBOURHOOD_LEADER)


@pytest.fixture
def front_desk(db):
    return _user_with_role(Role.FRONT_DESK)


@pytest.fixture
def agency_staff(db, actor, make_member):
    user = _user_with_role(Role.AGENCY_STAFF)
    make_member(user, actor)
    return user


@pytest.fixture
def agency_manager(db, actor, make_member):
    user = _user_with_role(Role.AGENCY_MANAGER)
    make_member(user, actor, is_manager=True)
    return user


@pytest.fixture
def authority(db):
    return _user_with_role(Role.AUTHORITY)


@pytest.fixture
def auditor(db):
    return _user_with_role(Role.AUDITOR)


@pytest.fixture
def editor(db):
    return _user_with_role(Role.EDITOR, is_staff=True)


@pytest.fixture
def trainer(db):
    return _user_with_role(Role.TRAINER, is_staff=True)


@pytest.fixture
def reference_data(db):
    """The real reference data of Coyhaique from fixtures/."""
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


ALL_ROLES = list(ROLE_PERMISSIONS)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
