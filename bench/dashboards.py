"""Latency of each dashboard query next to a hand-written SQL over the same index, and their ratio.

    .venv/bin/python bench/dashboards.py --json var/bench-dashboards.json \
        --database-url postgres://cooperanet@127.0.0.1:5432/cooperanet_bench
    .venv/bin/python bench/dashboards.py --smoke          # tiny: a few runs, any database (SQLite: ORM only)

Load the data with bench/gen_incidents.py first (it ends with VACUUM ANALYZE). Each query runs `--runs`
times after one warm-up; p50/p95 are in milliseconds, measured at the server process (no HTTP), with the
public dashboard cache bypassed. The ratio is ORM p50 / raw SQL p50 (the issue asks ≤ 3 and ≤ 100 ms).
The plan column names the scan PostgreSQL chose for the raw SQL (an index-only scan is the goal).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN = "('received', 'in_review', 'assigned', 'in_progress', 'waiting_decision')"


def setup_django(database_url: str) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperanet.settings.dev")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()


def timed(function, runs: int) -> list[float]:
    function()  # warm-up (plans, caches)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def raw(sql: str, params):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def plan_of(sql: str, params) -> str:
    """The scan nodes of the plan (e.g. "Index Only Scan using incident_public_created_cov")."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    scans = []

    def walk(node):
        if "Scan" in node["Node Type"]:
            scans.append(
                f"{node['Node Type']} {node.get('Index Name', node.get('Relation Name', ''))}".strip()
            )
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return "; ".join(dict.fromkeys(scans))


def cases(weeks: int):
    """(name, ORM callable, raw SQL, params) for every dashboard query."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from indicators.selectors import aggregates, participation
    from indicators.selectors.common import GRID_DEGREES, Filters, Window, restricted_category_ids

    window = Window.last_weeks(weeks)
    public = Filters(window=window, public=True)
    restricted = sorted(restricted_category_ids()) or [0]
    span = [window.start, window.end]
    where = "created_at >= %s AND created_at < %s AND NOT held_for_review"
    flag = "(category_id = ANY(%s))"
    from cms_content.models import Actor
    from workflows.models import Incident

    actor_ids = sorted(Actor.objects.values_list("pk", flat=True))

    actor_id = (
        Incident.objects.order_by()
        .filter(responsible_actor_id__isnull=False)
        .values_list("responsible_actor_id", flat=True)
        .first()
    )
    internal = Filters(window=window, public=False, actor_ids=(actor_id,))
    now = timezone.now()
    horizon = [now - timedelta(days=aggregates.BACKLOG_HORIZON_DAYS), window.end]
    mondays = [
        timezone.make_aware(datetime.combine(monday, datetime.min.time()))
        for monday in aggregates.week_starts(window)
    ]
    return [
        (
            "by_category",
            lambda: aggregates.counts_by_category(public),
            f"SELECT category_id, count(*) FROM workflows_incident WHERE {where} GROUP BY 1",
            span,
        ),
        (
            "by_neighbourhood",
            lambda: aggregates.counts_by_neighbourhood(public),
            f"SELECT neighbourhood_id, {flag}, count(*) FROM workflows_incident WHERE {where} GROUP BY 1, 2",
            [restricted, *span],
        ),
        (
            "by_week",
            lambda: aggregates.counts_by_week(public),
            # The best hand-written form: width_bucket over the local Mondays (truncating each row to its
            # week in the local time zone costs about 2.5× more).
            f"SELECT width_bucket(created_at, %s::timestamptz[]), {flag}, count(*) "
            f"FROM workflows_incident WHERE {where} GROUP BY 1, 2",
            [mondays, restricted, *span],
        ),
        (
            "trend",
            lambda: aggregates.trend(public),
            f"SELECT {flag}, count(*) FROM workflows_incident WHERE {where} GROUP BY 1",
            [restricted, *span],
        ),
        (
            "status_counts",
            lambda: aggregates.status_counts(public),
            f"SELECT status, {flag}, count(*) FROM workflows_incident WHERE {where} GROUP BY 1, 2",
            [restricted, *span],
        ),
        (
            "hot_spots",
            lambda: aggregates.hot_spots(public),
            f"SELECT floor(latitude / {GRID_DEGREES}), floor(longitude / {GRID_DEGREES}), {flag}, count(*) "
            f"FROM workflows_incident WHERE {where} GROUP BY 1, 2, 3",
            [restricted, *span],
        ),
        (
            "resolution_by_actor",
            lambda: aggregates.resolution_by_actor(public),
            # The best hand-written form: one pass naming the actors (the index is walked actor by actor,
            # no sort of the window) and one percentile_cont over an array of fractions.
            "SELECT responsible_actor_id, count(*), count(*) FILTER (WHERE resolved_at <= due_at), "
            "percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP "
            "(ORDER BY extract(epoch FROM resolved_at - created_at)) "
            f"FROM workflows_incident WHERE {where} AND resolved_at IS NOT NULL "
            "AND responsible_actor_id = ANY(%s) GROUP BY 1",
            [*span, actor_ids],
        ),
        (
            "backlog_by_age",
            lambda: aggregates.backlog_by_age(public, now=now),
            "SELECT width_bucket(extract(epoch FROM %s - created_at) / 86400, ARRAY[8, 31, 91, 366]), "
            f"{flag}, count(*) FROM workflows_incident WHERE {where} AND status IN {OPEN} GROUP BY 1, 2",
            [now, restricted, *horizon],
        ),
        (
            "participation",
            lambda: participation.participation(public),
            "SELECT count(*), count(DISTINCT reporter_id), "
            "count(*) FILTER (WHERE is_anonymous OR reporter_id IS NULL), count(DISTINCT neighbourhood_id), "
            f"count(DISTINCT responsible_actor_id) FROM workflows_incident WHERE {where}",
            span,
        ),
        (
            "internal_by_category_one_actor",
            lambda: aggregates.counts_by_category(internal),
            "SELECT category_id, count(*) FROM workflows_incident WHERE created_at >= %s AND created_at < %s "
            "AND responsible_actor_id = %s GROUP BY 1",
            [*span, actor_id],
        ),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--weeks", type=int, default=12, help="dashboard window (default 12 weeks)")
    parser.add_argument("--smoke", action="store_true", help="3 runs, 2-week window; any database")
    parser.add_argument("--json", help="write the figures to this path")
    parser.add_argument("--only", action="append", metavar="QUERY", help="only this query (repeatable)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.weeks = 3, 2
    setup_django(args.database_url)
    from django.db import DatabaseError, connection

    from workflows.models import Incident

    postgres = connection.vendor == "postgresql"
    try:
        total = Incident.objects.count()
    except DatabaseError:
        print("no incidents table: migrate the database and load it with bench/gen_incidents.py first")
        return 2
    print(f"{total:,} incidents · window {args.weeks} weeks · {args.runs} runs · {connection.vendor}")
    print(f"{'query':32} {'orm p50':>9} {'orm p95':>9} {'sql p50':>9} {'sql p95':>9} {'ratio':>6}  plan")
    results = []
    for name, orm_call, sql, params in cases(args.weeks):
        if args.only and name not in args.only:
            continue
        orm = timed(orm_call, args.runs)
        row = {"query": name, "orm_p50_ms": statistics.median(orm), "orm_p95_ms": p95(orm)}
        if postgres:
            sql_samples = timed(raw(sql, params), args.runs)
            row.update(
                sql_p50_ms=statistics.median(sql_samples),
                sql_p95_ms=p95(sql_samples),
                plan=plan_of(sql, params),
            )
            row["ratio"] = row["orm_p50_ms"] / row["sql_p50_ms"] if row["sql_p50_ms"] else None
        results.append(row)
        print(
            f"{name:32} {row['orm_p50_ms']:9.1f} {row['orm_p95_ms']:9.1f} "
            f"{row.get('sql_p50_ms', float('nan')):9.1f} {row.get('sql_p95_ms', float('nan')):9.1f} "
            f"{row.get('ratio') or float('nan'):6.2f}  {row.get('plan', '')}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "incidents": total,
                    "weeks": args.weeks,
                    "runs": args.runs,
                    "vendor": connection.vendor,
                    "results": results,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
