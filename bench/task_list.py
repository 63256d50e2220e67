"""The staff task list's first page with 100,000 open tasks, measured in process: p50/p95 and SQL per page.

Usage (PostgreSQL; the role needs CREATEDB):

    .venv/bin/python bench/task_list.py --setup            # create, migrate, seed, clone tasks; measure
    .venv/bin/python bench/task_list.py --setup --pages standard:queue,emergency:queue
    .venv/bin/python bench/task_list.py                     # measure again on the database kept from --setup
    .venv/bin/python bench/task_list.py --sql --explain     # … with every query, EXPLAIN ANALYZE of slow ones
    .venv/bin/python bench/task_list.py --drop              # drop the scratch database (nothing measured)

Prints per page the wall-clock p50/p95, the median CPU time of this process (the Python side alone; other jobs
on the machine shake it less than wall time), the SQL statements of one request and their summed time (as
Django's debug cursor rounds it, to the millisecond) and the page's size.

Options: --requests N (40) timed requests per page after --warmup N (5); --pages (URL names, default
standard:queue,standard:inbox); --setup takes --tasks N (100,000).

The data is `make bench`'s (bench/data.seed + clone_open_tasks): one report in the first public standard-flow
category the API accepts, cloned with its open triage task, and an agency manager of its actor: 100,000 rows
in /tareas/standard/queue/, the case the 100 ms goal is about.

DATABASE_URL names the server (default the CI one); the scratch database is always
`cooperanet_benchrun_tasklist` (bench/data.py refuses other names); development and test databases are never
touched. Settings are bench.settings (DEBUG off, CONN_MAX_AGE=0, Redis cache, as under `make bench`), but
requests go through Django's test Client instead of daphne and an HTTP client: the figure is the view's own
time (no server, no network) and comes in a minute rather than fifteen.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://cooperanet@127.0.0.1:5432/cooperanet"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
NAME = "cooperanet_benchrun_tasklist"
AGENT = "agente-bench"


def setup_database(base_url: str, tasks: int) -> None:
    from django.core.management import call_command

    print("· migrate + reference data…", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    incident_id = data.seed()["incident_id"]
    seconds = data.clone_open_tasks(
        database_url=data.with_database(base_url, NAME), incident_id=incident_id, count=tasks
    )
    print(f"· {tasks:,} open tasks cloned in {seconds:.1f} s", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client, url: str, *, warmup: int, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200
    durations, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
    # One more request with the queries captured (DEBUG stays off; capturing costs a little, so untimed).
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    return {
        "p50_ms": statistics.median(durations),
        "p95_ms": percentile(durations, 0.95),
        # This process's own CPU time (Python, not PostgreSQL): less shaken by other jobs than wall time.
        "cpu_p50_ms": statistics.median(cpu),
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "bytes": len(response.content),
        "slowest": queries,
    }


def explain(sql_text: str) -> str:
    """EXPLAIN ANALYZE of a captured statement, under the same leading SET LOCAL as when it ran, if any."""
    from django.db import connection

    settings, statement = "", sql_text
    if sql_text.startswith("SET LOCAL "):  # workflows.task_list_counts: "SET LOCAL …; SELECT COUNT(*) …"
        start = sql_text.index("SELECT ")
        settings, statement = sql_text[:start], sql_text[start:]
    with connection.cursor() as cursor:
        cursor.execute(f"{settings}EXPLAIN (ANALYZE, BUFFERS) {statement}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="(re)create the scratch database first")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database and exit")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries")
    parser.add_argument("--sql", action="store_true", help="print every query of the page, slowest first")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pages", default="standard:queue,standard:inbox")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not base_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/task_list.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    if args.drop:
        data.drop_database(base_url, NAME)
        print(f"dropped {NAME}")
        return 0
    if args.setup:
        data.create_database(base_url, NAME, use_template=False)
    elif not data.incident_count(data.with_database(base_url, NAME)):
        raise SystemExit(f"{NAME} is missing or empty: run with --setup first")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": data.with_database(base_url, NAME),
            "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
            "BENCH_PREFIX": f"bench-tasklist-{os.getpid()}",
        }
    )
    import django

    django.setup()
    if args.setup:
        setup_database(base_url, args.tasks)

    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from viewflow.workflow.models import Task

    agent = get_user_model().objects.get(username=AGENT)
    open_tasks = Task.objects.exclude(status="DONE").count()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent)
    flows = ", ".join(
        f"{row['process__flow_class']}: {row['n']:,}"
        for row in Task.objects.exclude(status="DONE").values("process__flow_class").annotate(n=Count("pk"))
    )
    print(f"{open_tasks:,} open tasks ({flows}); load average {os.getloadavg()[0]:.2f}")
    print(f"{'page':<18} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8} {'sql ms':>7} {'KB':>6}")
    for name in args.pages.split(","):
        result = measure(client, reverse(name), warmup=args.warmup, requests=args.requests)
        print(
            f"{name:<18} {result['p50_ms']:8.1f} {result['p95_ms']:8.1f} {result['cpu_p50_ms']:8.1f} "
            f"{result['queries']:8d} {result['sql_ms']:7.0f} "
            f"{result['bytes'] / 1024:6.0f}"
        )
        for query in result["slowest"] if args.sql else result["slowest"][:3]:
            text = query["sql"] if args.sql else query["sql"][:150]
            print(f"    {float(query['time']) * 1000:6.1f} ms  {text}")
            if args.explain and float(query["time"]) > 0.002:
                print("      " + explain(query["sql"]).replace("\n", "\n      "))
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
