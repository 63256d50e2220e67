"""django-axes on every login: the portal's (also the task site's), and Wagtail's /cms/ login."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from tests.factories.accounts import UserFactory

PASSWORD = "clave-correcta-2026"
LOGINS = ["/ingresar/", "/cms/login/"]


@pytest.fixture
def person(db):
    user = UserFactory(username="marta", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _attempt(client, url, password, ip="203.0.113.7"):
    return client.post(url, {"username": "marta", "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("url", LOGINS)
def test_failed_logins_lock_the_user_and_address_pair_even_for_the_right_password(client, person, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, url, "incorrecta")
        assert response.status_code == 200  # the form again, with its error
    locked = _attempt(client, url, "incorrecta")
    assert locked.status_code == 429
    assert "demasiados intentos fallidos" in locked.content.decode().lower()
    assert _attempt(client, url, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="marta").exists()


@pytest.mark.parametrize("url", LOGINS)
def test_another_address_is_not_locked_out_by_someone_elses_failures(client, person, url):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, url, "incorrecta", ip="203.0.113.7")
    response = _attempt(client, url, PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_successful_login_resets_the_failure_count(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "/ingresar/", "incorrecta")
    assert _attempt(client, "/ingresar/", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "/ingresar/", "incorrecta").status_code == 200


def test_the_address_behind_the_proxy_is_the_one_counted(client, person, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/ingresar/",
            {"username": "marta", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="203.0.113.9",
        )
    assert AccessAttempt.objects.get(username="marta").ip_address == "203.0.113.9"
    other = client.post(
        "/ingresar/",
        {"username": "marta", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="203.0.113.10",
    )
    assert other.status_code == 302
