"""`make bench`: CooperaNet's figures next to their baselines, measured in the same run on this machine.

    .venv/bin/python bench/run.py [--smoke] [--json PATH] [--keep-db]

Needs PostgreSQL (DATABASE_URL, the role needs CREATEDB) and Redis (REDIS_URL). Creates its own database
(`cooperanet_benchrun…`, dropped at the end), starts the servers on 127.0.0.1, drives them from load
clients in other processes (bench/loadgen.py), prints a table and writes the figures as JSON
(bench/results/latest.json by default). `--smoke` uses tiny sizes (CI: the scripts never rot); its figures
mean nothing. See bench/README.md for what each figure measures and docs/scaling.md for the conclusions.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import chat_phases, data  # noqa: E402
from bench.report import Figures  # noqa: E402
from bench.servers import Servers, free_port  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://cooperanet@127.0.0.1:5432/cooperanet"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

FULL = {
    "http_seconds": 8,
    "http_concurrency": 16,
    "tasks": 100_000,
    "task_requests": 100,
    "raw_rows": 20_000,
    "raw_seconds": 5,
    "sizes": {"small": 100, "medium": 500, "large": 1000},
    "messages": {"small": 20, "medium": 10, "large": 5},
    "join_deadline": 120,
    "loss_seconds": 5,
    "idle_first": 5000,
    "idle_second": 10_000,
    "handshakes": 500,
    "idle_limit": 120,
}
SMOKE = {
    "http_seconds": 1.0,
    "http_concurrency": 4,
    "tasks": 300,
    "task_requests": 5,
    "raw_rows": 50,
    "raw_seconds": 1,
    "sizes": {"small": 4, "medium": 8, "large": 12},
    "messages": {"small": 3, "medium": 3, "large": 2},
    "join_deadline": 20,
    "loss_seconds": 1,
    "idle_first": 10,
    "idle_second": 20,
    "handshakes": 10,
    "idle_limit": 20,
}


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Run:
    def __init__(self, args):
        self.args = args
        self.size = SMOKE if args.smoke else FULL
        self.base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        self.redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
        if not self.base_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("bench/run.py needs PostgreSQL: set DATABASE_URL=postgres://…")
        self.db_name = f"cooperanet_benchrun_{os.getpid()}" if args.smoke else "cooperanet_benchrun"
        self.prefix = f"bench-{os.getpid()}"
        self.workdir = Path(tempfile.mkdtemp(prefix="cooperanet-bench-"))
        self.figures = Figures()
        self.details: dict = {}

    # --- helpers ------------------------------------------------------------------------------------------

    def server_env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "BENCH_PREFIX": self.prefix,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "PYTHONUNBUFFERED": "1",
        }

    def http(
        self, url: str, *, method="GET", cookie="", concurrency=None, requests=None, warmup=10, seconds=None
    ) -> dict:
        warmup = min(warmup, 2) if self.args.smoke else warmup
        argv = [
            "http",
            "--url",
            url,
            "--method",
            method,
            "--concurrency",
            str(concurrency or self.size["http_concurrency"]),
            "--duration",
            str(seconds or self.size["http_seconds"]),
            "--max",
            str(requests or 1_000_000),
            "--warmup",
            str(warmup),
        ]
        if method == "POST":
            argv += ["--intake-category", self.seed["category"]]
        if cookie:
            argv += ["--cookie", cookie]
        return chat_phases.client(argv, timeout=(seconds or self.size["http_seconds"]) + 90)

    def section(self, name: str, function) -> None:
        started = time.perf_counter()
        print(f"· {name}…", file=sys.stderr, flush=True)
        try:
            function()
        except Exception as error:  # noqa: BLE001 - one failed section must not hide the others' figures
            self.details.setdefault("errors", {})[name] = f"{type(error).__name__}: {error}"
            print(f"  {name} failed: {error!r}", file=sys.stderr, flush=True)
        self.details.setdefault("section_seconds", {})[name] = round(time.perf_counter() - started, 1)

    # --- the run --------------------------------------------------------------------------------------------

    def main(self) -> int:
        started = time.perf_counter()
        hard = raise_open_files()
        self.database_url = data.create_database(self.base_url, self.db_name)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "BENCH_PREFIX": self.prefix,
                "BENCH_LAYER": "redis",
            }
        )
        try:
            import django

            django.setup()
            print("· database: migrate + reference data…", file=sys.stderr, flush=True)
            how = data.migrate_and_load(self.base_url, self.db_name)
            self.seed = data.seed()
            self.details["setup"] = {
                "open_files_limit": hard,
                "database": how,
                "load_before": os.getloadavg(),
            }
            self.details["chat"] = {}
            self.chat = data.chat_members(
                max(self.size["sizes"].values()), sorted(self.size["sizes"].values())
            )
            with Servers(self.workdir, self.server_env()) as servers:
                # Two daphne processes on the core Redis layer: the production shape, for HTTP and chat.
                ports = [free_port(), free_port()]
                for i, port in enumerate(ports):
                    servers.asgi(
                        "daphne", chat_phases.APP, port=port, layer="redis", name=f"daphne-redis-{i}"
                    )
                self.section("http", lambda: self.http_phase(servers, ports))
                self.section("chat_redis", lambda: chat_phases.redis_phase(self, ports))
            self.section("raw_inserts", self.raw_insert_phase)
            self.section("dashboards", self.dashboards_phase)
            self.section("chat_other", lambda: chat_phases.other_phases(self))
            chat_phases.chat_figures(self)
            self.section("idle", lambda: chat_phases.idle(self))
        finally:
            from django.db import connections

            connections.close_all()
            if not self.args.keep_db:
                data.drop_database(self.base_url, self.db_name)
        self.details["total_seconds"] = round(time.perf_counter() - started, 1)
        self.details["load_after"] = os.getloadavg()
        result = {
            "mode": "smoke" if self.args.smoke else "full",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "node": platform.node()},
            "figures": self.figures.rows,
            "details": self.details,
        }
        if not self.details.get("errors"):
            shutil.rmtree(self.workdir, ignore_errors=True)  # server logs are kept only when something failed
        else:
            self.details["logs"] = str(self.workdir)
        output = Path(self.args.json)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(self.figures.table())
        print(f"\n{len(self.figures.rows)} figures in {self.details['total_seconds']} s → {output}")
        return 0

    # --- HTTP: intake, reads, task list, gunicorn side by side --------------------------------------------

    def http_phase(self, servers: Servers, daphne_ports: list[int]) -> None:
        size = self.size
        gunicorn_port = free_port()
        gunicorn = servers.gunicorn(port=gunicorn_port, workers=os.cpu_count() or 2)
        front_port = free_port()
        while not _port_free(front_port + 1):  # nginx takes two consecutive ports: one per upstream
            front_port = free_port()
        front = servers.front(
            port=front_port, upstreams={"daphne": daphne_ports, "gunicorn": [gunicorn_port]}
        )
        self.details["http_front"] = front
        if front == "nginx":
            daphne_base = f"http://127.0.0.1:{front_port}"
            gunicorn_base = f"http://127.0.0.1:{front_port + 1}"
        else:
            # Without nginx: the figures are of one daphne process, not two (docs/scaling.md).
            daphne_base = f"http://127.0.0.1:{daphne_ports[0]}"
            gunicorn_base = f"http://127.0.0.1:{gunicorn_port}"
        tracking = f"/seguimiento/{self.seed['folio']}/?s={self.seed['secret']}"
        measured = {
            "bare_daphne": self.http(f"{daphne_base}/bench/bare/"),
            "intake_daphne": self.http(f"{daphne_base}/api/incidents/", method="POST"),
            "tracking_daphne": self.http(f"{daphne_base}{tracking}"),
            "taxonomy_daphne": self.http(f"{daphne_base}/api/taxonomy/"),
            "bare_gunicorn": self.http(f"{gunicorn_base}/bench/bare/"),
            "intake_gunicorn": self.http(f"{gunicorn_base}/api/incidents/", method="POST"),
            "taxonomy_gunicorn": self.http(f"{gunicorn_base}/api/taxonomy/"),
            "tracking_gunicorn": self.http(f"{gunicorn_base}{tracking}"),
        }
        # Task list: first page for an agent while the system holds `tasks` open tasks (one at a time).
        seconds = data.clone_open_tasks(
            database_url=self.database_url, incident_id=self.seed["incident_id"], count=size["tasks"]
        )
        from django.urls import reverse

        queue = reverse("standard:queue")
        measured["tasks_seconds_to_generate"] = round(seconds, 1)
        measured["task_list"] = self.http(
            f"{daphne_base}{queue}",
            cookie=self.seed["agent_cookie"],
            concurrency=1,
            requests=size["task_requests"],
            # Five per daphne process: a process's first request of the list compiles its templates and fills
            # its caches (1.0-1.5 s measured); the goal is about an agent opening the list on a running
            # server, not the first page after a restart. 100 timed requests: the p95 of 40 was their 2nd
            # slowest, so one pause of the machine moved it.
            warmup=10,
            seconds=size["http_seconds"] * 3,  # one at a time, ~0.1 s each: room for all of them
        )
        measured["bare_sequential"] = self.http(
            f"{daphne_base}/bench/bare/", concurrency=1, requests=size["task_requests"], warmup=10
        )
        servers.stop(gunicorn)
        self.details["http"] = measured
        f = self.figures
        bare, intake = measured["bare_daphne"], measured["intake_daphne"]
        f.add(
            "intake.api_rps",
            intake["rps"],
            "req/s",
            bare["rps"],
            "bare Django view, same set-up",
            goal="≥ 150/s and ≥ 0.5× bare",
            met=_ok(intake["rps"], bare["rps"], lambda v, b: v >= 150 and v >= 0.5 * b),
        )
        f.add("intake.api_p50_ms", intake["p50_ms"], "ms", bare["p50_ms"], "bare view p50")
        f.add("intake.api_p99_ms", intake["p99_ms"], "ms", bare["p99_ms"], "bare view p99")
        for name in ("tracking", "taxonomy"):
            read = measured[f"{name}_daphne"]
            f.add(f"reads.{name}_rps", read["rps"], "req/s", bare["rps"], "bare view")
            f.add(f"reads.{name}_p99_ms", read["p99_ms"], "ms", bare["p99_ms"], "bare view p99")
        tasks = measured["task_list"]
        f.add(
            "tasks.first_page_p95_ms",
            tasks["p95_ms"],
            "ms",
            measured["bare_sequential"]["p95_ms"],
            f"bare view p95 (with {size['tasks']:,} open tasks)",
            goal="≤ 100 ms",
            met=None if tasks["p95_ms"] is None else tasks["p95_ms"] <= 100,
        )
        for name in ("bare", "taxonomy", "tracking", "intake"):
            g, d = measured[f"{name}_gunicorn"], measured[f"{name}_daphne"]
            f.add(f"side.gunicorn_{name}_rps", g["rps"], "req/s", d["rps"], f"{name} on 2 daphne")

    def raw_insert_phase(self) -> None:
        raw = data.raw_inserts(
            database_url=self.database_url,
            incident_id=self.seed["incident_id"],
            count=self.size["raw_rows"],
            seconds=self.size["raw_seconds"],
        )
        self.details["raw_inserts"] = raw
        api = self.details.get("http", {}).get("intake_daphne", {}).get("rps")
        self.figures.add("intake.raw_insert_rps", raw["rps"], "rows/s", None, "psycopg2, 1 connection")
        self.figures.add("intake.api_rps_vs_raw_insert", api, "req/s", raw["rps"], "raw single-row INSERTs")

    def dashboards_phase(self) -> None:
        """Figures of bench/dashboards.py (the indicators' benchmark), when that script exists.

        It reads the 1 M incidents that bench/gen_incidents.py loads into `cooperanet_bench` (or the database
        in BENCH_DASHBOARDS_DATABASE_URL); without them, this run's database (100,000 cloned incidents).
        """
        import subprocess

        script = ROOT / "bench" / "dashboards.py"
        if not script.exists():
            self.details["dashboards"] = {"skipped": "bench/dashboards.py not present"}
            return
        database_url = os.environ.get("BENCH_DASHBOARDS_DATABASE_URL") or self.database_url
        if not self.args.smoke and "BENCH_DASHBOARDS_DATABASE_URL" not in os.environ:
            generated = data.with_database(self.base_url, "cooperanet_bench")
            if data.incident_count(generated):
                database_url = generated
        output = self.workdir / "dashboards.json"
        argv = [sys.executable, str(script), "--json", str(output), "--database-url", database_url]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        completed = subprocess.run(
            argv + (["--smoke"] if self.args.smoke else []),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if completed.returncode != 0 or not output.exists():
            self.details["dashboards"] = {"error": completed.stderr[-2000:]}
            return
        result = json.loads(output.read_text())
        self.details["dashboards"] = result
        incidents = result.get("incidents")
        for row in result.get("results", []):
            orm, raw = row.get("orm_p50_ms"), row.get("sql_p50_ms")
            self.figures.add(
                f"dashboards.{row['query']}.p50_ms",
                None if orm is None else round(orm, 2),
                "ms",
                None if raw is None else round(raw, 2),
                f"raw SQL p50, {incidents:,} incidents",
                goal="≤ 3× raw SQL, ≤ 100 ms",
                met=None if orm is None or not raw else orm <= 3 * raw and orm <= 100,
            )


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ok(value, baseline, test) -> bool | None:
    if value is None or baseline is None:
        return None
    return bool(test(value, baseline))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds per figure (CI)")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "latest.json"))
    parser.add_argument("--keep-db", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()
    return Run(args).main()


if __name__ == "__main__":
    sys.exit(main())
