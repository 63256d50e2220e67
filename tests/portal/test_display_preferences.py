"""Large text and high contrast are remembered for the reader."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_large_text_is_remembered_and_applied_to_every_page(client):
    response = client.post(reverse("portal:display_preferences"), {"large_text": "1", "next": "/reportar/"})
    assert response.status_code == 302
    assert response["Location"] == "/reportar/"
    assert response.cookies["cn_large_text"]["max-age"] == 365 * 24 * 3600
    assert 'class="large-text ' in client.get("/").content.decode()


def test_high_contrast_can_be_turned_on_and_off(client):
    client.post(reverse("portal:display_preferences"), {"high_contrast": "1"})
    assert "high-contrast" in client.get("/").content.decode()
    client.post(reverse("portal:display_preferences"), {"high_contrast": "0"})
    assert "high-contrast" not in client.get("/").content.decode()


def test_next_cannot_send_the_reader_to_another_site(client):
    response = client.post(
        reverse("portal:display_preferences"), {"large_text": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_preferences_only_accept_post(client):
    assert client.get(reverse("portal:display_preferences")).status_code == 405
