"""Fixtures shared by the front desk modules (test_intake_*.py)."""

import pytest

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory


@pytest.fixture
def category(db):
    NeighbourhoodFactory()
    # The citizen form would ask for a photo and a map point: the desk takes an address instead.
    return SubSectionFactory(
        name="Luminaria apagada",
        requires_photo=True,
        requires_exact_location=True,
        responsible_actor__phones="67 221 1234",
        responsible_actor__name="Dirección de Alumbrado",
    )


@pytest.fixture
def sensitive_category(db):
    return SubSectionFactory(
        name="Maltrato a una persona mayor", sensitive=True, public=False, requires_contact=True
    )


@pytest.fixture
def officer_client(client, front_desk):
    client.force_login(front_desk)
    return client
