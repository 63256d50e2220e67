"""Fixtures of the workshop tests."""

import pytest

from tests.factories.accounts import UserFactory
from tests.workshops.helpers import make_workshop


@pytest.fixture
def workshop(db, trainer):
    return make_workshop(capacity=2, trainer=trainer)


@pytest.fixture
def other_trainer(db):
    # Staff, but neither this workshop's trainer nor in the trainer role.
    return UserFactory(is_staff=True)
