"""Settings switch on the environment: embedded default, PostgreSQL, Redis, and a strict production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'options': settings.DATABASES['default'].get('OPTIONS', {}), "
    "'health': settings.DATABASES['default'].get('CONN_HEALTH_CHECKS'), "
    "'layer': settings.CHANNEL_LAYERS['default']['BACKEND'], "
    "'cache': settings.CACHES['default']['BACKEND'], 'email': settings.EMAIL_BACKEND, "
    "'language': settings.LANGUAGE_CODE, 'tz': settings.TIME_ZONE}))"
)
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
}


def run_settings(module: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_uses_sqlite_memory_layer_locmem_cache_and_console_email():
    result = run_settings("cooperanet.settings.dev")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["layer"] == "channels.layers.InMemoryChannelLayer"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert (values["language"], values["tz"]) == ("es", "America/Coyhaique")


def test_database_url_switches_to_postgresql_with_timeout_and_health_checks():
    result = run_settings("cooperanet.settings.dev", DATABASE_URL="postgres://u@127.0.0.1:5432/cooperanet")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["options"]["connect_timeout"] == 5
    assert values["health"] is True


def test_redis_url_switches_channel_layer_and_cache_to_redis():
    result = run_settings("cooperanet.settings.dev", REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["layer"] == "channels_redis.core.RedisChannelLayer"
    # Django's RedisCache with one client per process (cooperanet/cache.py).
    assert values["cache"] == "cooperanet.cache.ProcessRedisCache"


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "Yz9!-production-example-key-not-real-0123456789",
    "ALLOWED_HOSTS": "cooperanet.example.cl",
    "DATABASE_URL": "postgres://u@127.0.0.1:5432/cooperanet",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_settings("cooperanet.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_every_required_variable():
    result = run_settings("cooperanet.settings.production", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["layer"] == "channels_redis.core.RedisChannelLayer"
