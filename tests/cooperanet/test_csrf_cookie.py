"""A slow answer to a request sent before a login must not put back the token that the login replaced."""

import pytest
from django.conf import settings
from django.test import Client

PASSWORD = "clave-de-prueba-123"  # tests.factories.accounts.UserFactory


def csrf_cookie(response) -> str | None:
    morsel = response.cookies.get(settings.CSRF_COOKIE_NAME)
    return morsel.value if morsel is not None else None


@pytest.mark.django_db
def test_an_answer_that_arrives_after_the_login_keeps_the_new_token(front_desk):
    browser = Client(enforce_csrf_checks=True)
    first = browser.get("/ingresar/")
    before = csrf_cookie(first)
    assert before, "a first visit receives a csrf cookie"

    # The service worker warms a page with the cookie of that moment; its answer is slow.
    slow = Client(enforce_csrf_checks=True)
    slow.cookies[settings.CSRF_COOKIE_NAME] = before

    login = browser.post(
        "/ingresar/?next=/oficina/",
        {
            "username": front_desk.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": first.context["csrf_token"],
        },
    )
    assert login.status_code == 302
    after = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert after != before, "the login rotates the token"

    late = slow.get("/ingresar/")
    assert late.status_code == 200
    assert csrf_cookie(late) is None, "the cookie the request carried is not sent back"
    browser.cookies.update(late.cookies)  # what the browser does with the late answer
    assert browser.cookies[settings.CSRF_COOKIE_NAME].value == after

    desk = browser.get("/oficina/")
    sent = browser.post("/oficina/", {"csrfmiddlewaretoken": desk.context["csrf_token"]})
    assert sent.status_code == 200  # the form with its errors, not "CSRF verification failed" (403)
    assert sent.context["form"].errors


@pytest.mark.django_db
def test_a_visitor_without_a_cookie_still_receives_one():
    response = Client().get("/ingresar/")
    assert csrf_cookie(response)
