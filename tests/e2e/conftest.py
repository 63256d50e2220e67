"""Browser tests: Playwright drives Debian's chromium against a real daphne serving the test database.

daphne runs in a child process on the test database (a file for SQLite, the test database on PostgreSQL);
data the pages need is committed before it starts. Never `playwright install`: the browser is the
`chromium` binary of Debian's package.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

# Playwright's sync API keeps an event loop in this thread; the ORM calls of the tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
E2E_PASSWORD = "clave-e2e-segura-2026"
LIVE_REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
LIVE_CHANNEL_PREFIX = f"e2e-{os.getpid()}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The URL of the test database this session created, for the daphne child process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    # No host: libpq's Unix socket (the browser tests in a namespace without network use it).
    address = f"{db['HOST']}:{db.get('PORT') or 5432}" if db.get("HOST") else ""
    return f"postgres://{auth}{address}/{db['NAME']}"


def _wait_until_healthy(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError("daphne did not become healthy in time")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """Create the test database for the browser tests.

    pytest-django only creates databases that collected tests mark with `django_db`; browser tests do not
    (their data must be committed, not rolled back), so without this the server would use the real one.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # The stopped daphne's backends may linger a moment; they would block DROP DATABASE.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def e2e_data(django_db_setup, django_db_blocker):
    """Reference data and one user per staff role, committed so the daphne process sees them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=io.StringIO())
        User = get_user_model()
        editor, _ = User.objects.get_or_create(username="editora-e2e", defaults={"is_staff": True})
        editor.set_password(E2E_PASSWORD)
        editor.save()
        editor.groups.add(Group.objects.get(name="editor"))
    return {"editor": "editora-e2e", "password": E2E_PASSWORD}


@pytest.fixture(scope="session")
def live_url(e2e_data, django_db_blocker):
    """Base URL of a daphne process serving the test database."""
    port = _free_port()
    with django_db_blocker.unblock():
        database_url = _database_url()
    assert "test" in database_url, database_url  # never serve the real database to the browser tests
    # The server always talks to Redis, so a test can reach its sockets through the same channel layer.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cooperanet.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": LIVE_REDIS_URL,
        "CHANNEL_PREFIX": LIVE_CHANNEL_PREFIX,
        # Every browser test reports from 127.0.0.1: the flood limit is tested elsewhere.
        "REPORT_FORM_RATE": "10000/h",
    }
    # The server's log goes to a file (a pipe nobody reads would fill up and stall the server).
    log_path = Path(settings.VAR_DIR) / f"e2e-daphne-{os.getpid()}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "cooperanet.asgi:application"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if "Traceback" in log_path.read_text():
            print(f"\n--- daphne log ({log_path}) ---\n{log_path.read_text()[-6000:]}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url):
    """A fresh browser page; every request it makes to a host other than our server is recorded."""
    context = browser.new_context(base_url=live_url, locale="es-CL")
    page = context.new_page()
    own_host = urlsplit(live_url).netloc
    page.outside_requests = []

    def record(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own_host:
            page.outside_requests.append(request.url)

    page.on("request", record)
    yield page
    context.close()


@pytest.fixture
def live_channel_layer(settings):
    """Point this process's channel layer at the live server's Redis layer (for broadcasts from services)."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [LIVE_REDIS_URL], "prefix": LIVE_CHANNEL_PREFIX},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
