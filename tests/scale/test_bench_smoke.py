"""`bench/run.py --smoke` runs end to end and reports every figure as a number (never judged on time).

The benchmark needs PostgreSQL (it creates and drops its own `cooperanet_benchrun_<pid>` database) and Redis;
without them this test is skipped. It never looks at how fast anything was: CI only keeps the scripts from
rotting. The dashboards' figures come from another script (bench/dashboards.py) and are optional here.
"""

import json
import os
import subprocess
import sys
from numbers import Number
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL,
        reason="the benchmark runs on PostgreSQL + Redis: set DATABASE_URL=postgres://… and REDIS_URL",
    ),
]

LAYERS = ["memory_1proc", "redis_2proc"]
SIZES = ["small", "medium", "large"]
FIGURES = [
    "intake.api_rps", "intake.api_p50_ms", "intake.api_p99_ms", "intake.raw_insert_rps",
    "intake.api_rps_vs_raw_insert",
    "reads.tracking_rps", "reads.tracking_p99_ms", "reads.taxonomy_rps", "reads.taxonomy_p99_ms",
    "tasks.first_page_p95_ms",
    *[f"chat.{layer}.{size}.{what}" for layer in LAYERS for size in SIZES
      for what in ("deliveries_per_s", "p50_ms", "p99_ms", "lost", "join_s")],
    "chat.redis_2proc.loss_at_half_rate.lost",
    "idle.sockets_per_process", "idle.kb_per_socket", "idle.handshakes_per_s",
    "side.gunicorn_bare_rps", "side.gunicorn_taxonomy_rps", "side.gunicorn_tracking_rps",
    "side.gunicorn_intake_rps",
    "side.uvicorn_app_deliveries_per_s", "side.uvicorn_bare_deliveries_per_s",
    "side.pubsub_app_deliveries_per_s", "side.pubsub_bare_deliveries_per_s",
]  # fmt: skip
# Figures measured against a baseline of the same run carry it (and their ratio).
WITH_BASELINE = [key for key in FIGURES if key not in ("intake.raw_insert_rps",)]


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


@pytest.fixture(scope="module")
def smoke_result(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench") / "smoke.json"
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the script sets its own (bench.settings)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(output.read_text())


def test_smoke_run_reports_every_figure_as_a_number(smoke_result):
    assert smoke_result["mode"] == "smoke"
    assert smoke_result["details"].get("errors") is None, smoke_result["details"]["errors"]
    figures = smoke_result["figures"]
    missing = [key for key in FIGURES if key not in figures]
    assert missing == []
    not_numbers = {key: figures[key]["value"] for key in FIGURES if not _is_number(figures[key]["value"])}
    assert not_numbers == {}
    no_baseline = [key for key in WITH_BASELINE if not _is_number(figures[key]["baseline"])]
    assert no_baseline == []


def test_smoke_run_answers_every_request_and_connects_every_member(smoke_result):
    details = smoke_result["details"]
    for name, load in details["http"].items():
        if isinstance(load, dict):
            assert load["errors"] == 0, (name, load["statuses"])
            assert load["ok"] > 0, name
    for name, round_ in details["chat"].items():
        # (Lost messages are a figure, not asserted: a stalled CI machine must not fail the build.)
        assert round_["connected"] == round_["members"], name
