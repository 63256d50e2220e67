"""Real daphne processes serving the test database over one Redis: for scale-out and fault tests."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.e2e.conftest import _database_url, _free_port, _wait_until_healthy


@dataclass
class Daphne:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running_daphnes(count: int, *, redis_url: str, **extra_env):
    """`count` daphne processes on the test database, one Redis channel prefix; stopped on exit."""
    database_url = _database_url()
    assert "test" in database_url, database_url  # never the real database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cooperanet.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": f"scale-{uuid.uuid4().hex[:8]}",
        **extra_env,
    }
    started = []
    try:
        for index in range(count):
            port = _free_port()
            log = open(Path(settings.VAR_DIR) / f"scale-daphne-{os.getpid()}-{index}.log", "w")  # noqa: SIM115
            argv = [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "cooperanet.asgi:application",
            ]
            process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
            started.append((Daphne(port, process), log))
        for daphne, _log in started:
            _wait_until_healthy(daphne.url, daphne.process, seconds=60)
        yield [daphne for daphne, _log in started]
    finally:
        for daphne, _log in started:
            if daphne.process.poll() is None:
                daphne.process.terminate()
        for daphne, log in started:
            try:
                daphne.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daphne.process.kill()
            log.close()
