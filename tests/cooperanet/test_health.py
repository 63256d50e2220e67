"""/health/ answers 200 when the database and the channel layer answer, 503 otherwise."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_is_ok_when_database_and_channel_layer_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "channel_layer": True}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_fails(client):
    with mock.patch("cooperanet.health.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "channel_layer": True}


@pytest.mark.django_db
def test_health_is_503_when_the_channel_layer_is_unreachable(client, settings):
    # A Redis layer on a port where nothing listens: the round trip fails fast.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/health/")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": True, "channel_layer": False}}


def test_health_refuses_post(client):
    assert client.post("/health/").status_code == 405
