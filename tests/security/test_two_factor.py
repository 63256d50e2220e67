"""TOTP two-factor for staff and editors on /cms/ and /tareas/ (COOPERANET_REQUIRE_2FA on)."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.COOPERANET_REQUIRE_2FA = True


def _code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + step_offset * device.step
    return f"{totp.token():06d}"


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_an_editor_without_a_device_is_sent_to_enroll_then_reaches_the_admin(client, editor):
    client.force_login(editor)
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/seguridad/activar/?next=%2Fcms%2F")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Activar la verificación en dos pasos" in body
    assert "<svg" in body  # the QR code, inline (no script)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert re.sub(r"\s", "", re.search(r'class="otp-secret">([^<]+)<', body).group(1))
    wrong = client.post("/seguridad/activar/", {"code": "000000", "next": "/cms/"})
    assert "El código no coincide" in wrong.content.decode()
    device.refresh_from_db()
    throttled = client.post("/seguridad/activar/", {"code": _code(device), "next": "/cms/"})
    assert "Demasiados intentos" in throttled.content.decode()  # django-otp's growing delay after a miss
    device.throttle_reset()
    done = client.post("/seguridad/activar/", {"code": _code(device), "next": "/cms/"})
    assert done.status_code == 302 and done["Location"] == "/cms/"
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get("/cms/").status_code == 200


def test_a_staff_member_with_a_device_must_verify_each_new_session(client, agency_staff):
    device = _confirmed_device(agency_staff)
    client.force_login(agency_staff)
    response = client.get("/tareas/")
    assert response.status_code == 302
    assert response["Location"].startswith("/seguridad/verificar/?next=%2Ftareas%2F")
    bad = client.post("/seguridad/verificar/", {"code": "12ab56", "next": "/tareas/"})
    assert "6 dígitos" in bad.content.decode()
    ok = client.post("/seguridad/verificar/", {"code": _code(device), "next": "/tareas/"})
    assert ok.status_code == 302 and ok["Location"] == "/tareas/"
    assert "/seguridad/" not in client.get("/tareas/").get("Location", "")


def test_a_used_code_cannot_be_replayed(client, editor):
    device = _confirmed_device(editor)
    code = _code(device)
    client.force_login(editor)
    assert client.post("/seguridad/verificar/", {"code": code}).status_code == 302
    client.logout()
    client.force_login(editor)
    again = client.post("/seguridad/verificar/", {"code": code})
    assert again.status_code == 200
    assert "no es correcto" in again.content.decode()


def test_the_next_parameter_never_leaves_the_site(client, editor):
    device = _confirmed_device(editor)
    client.force_login(editor)
    response = client.post(
        "/seguridad/verificar/", {"code": _code(device), "next": "https://evil.example.com/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cms/"


def test_citizens_are_never_asked_for_a_second_factor(client, citizen):
    client.force_login(citizen)
    response = client.get("/cms/")
    assert "/seguridad/" not in response.get("Location", "")


def test_citizen_pages_do_not_ask_staff_for_a_second_factor(client, editor):
    client.force_login(editor)
    assert client.get("/").status_code == 200


def test_the_requirement_can_be_switched_off(client, editor, settings):
    settings.COOPERANET_REQUIRE_2FA = False
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200


def test_anonymous_visitors_still_get_the_login_page(client, db):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert "/cms/login/" in response["Location"]
