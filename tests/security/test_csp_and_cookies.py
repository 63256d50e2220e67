"""Content-Security-Policy: strict on citizen pages (no inline scripts in our templates), relaxed only
on the admin paths; secure cookies in production."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_ROOTS = ["site", "chat", "workflows", "workshops", "indicators", "cms_content"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/reportar/", "/seguimiento/", "/ingresar/", "/directorio/"])
def test_citizen_pages_forbid_inline_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["default-src"]
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))


@pytest.mark.django_db
def test_the_admin_login_gets_the_relaxed_policy_and_nothing_more(client):
    policy = _directives(client.get("/cms/login/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]


def _templates():
    for root in TEMPLATE_ROOTS:
        yield from (REPO / root).rglob("*.html")


def test_no_template_of_ours_has_an_inline_script_or_event_handler():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({k: getattr(settings, k) for k in ("
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_SECURE', "
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'COOPERANET_REQUIRE_2FA')}))"
)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cooperanet.settings.production",
    "SECRET_KEY": "x" * 20 + "Yz9!-production-example-key-not-real-0123456789",
    "ALLOWED_HOSTS": "cooperanet.example.cl",
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/cooperanet",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' conftest sets it in this process; production never has it.
_CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in PRODUCTION_ENV and not k.startswith("COOPERANET_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
}


def test_production_cookies_are_secure_and_two_factor_is_on():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**_CLEAN, **PRODUCTION_ENV},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "COOPERANET_REQUIRE_2FA": True,
    }


def test_check_deploy_is_clean_on_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**_CLEAN, **PRODUCTION_ENV},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
