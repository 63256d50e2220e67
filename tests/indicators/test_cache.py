"""The public dashboard is cached for a few minutes; internal dashboards are always fresh."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_public_dashboard_is_served_from_the_cache(client, world, authority):
    world.incident()
    first = client.get("/indicadores/")
    assert first.context["data"]["totals"]["total"] == 1
    world.incident()
    assert client.get("/indicadores/").context["data"]["totals"]["total"] == 1
    client.force_login(authority)
    assert client.get("/indicadores/interno/").context["data"]["totals"]["total"] == 2
    cache.clear()
    client.logout()
    assert client.get("/indicadores/").context["data"]["totals"]["total"] == 2
