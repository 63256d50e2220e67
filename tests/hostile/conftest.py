"""Fixtures of the hostile corpus: categories of every kind, an integrator key, a signed-in citizen."""

import pytest

from tests.factories.cms_content import NeighbourhoodFactory, SectionFactory, SubSectionFactory
from workflows.open311.services import integrator_key_issue


@pytest.fixture
def category(db):
    NeighbourhoodFactory()
    return SubSectionFactory(name="Luminaria apagada")


@pytest.fixture
def sensitive_category(db):
    return SubSectionFactory(
        name="Violencia intrafamiliar",
        sensitive=True,
        public=False,
        parent=SectionFactory(sensitive=True, public=False),
    )


@pytest.fixture
def inactive_category(db):
    return SubSectionFactory(name="Antigua", active=False)


@pytest.fixture
def api_key(db):
    _integrator, key = integrator_key_issue(name="Integrador de pruebas")
    return key


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Private files of this test only, so counting them is not disturbed by other test runs."""
    from django.utils.functional import empty

    from workflows.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty
