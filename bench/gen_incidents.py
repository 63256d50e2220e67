"""Generate realistic incidents into PostgreSQL fast (COPY), for the dashboard benchmarks.

    .venv/bin/python bench/gen_incidents.py --count 1000000 \
        --database-url postgres://cooperanet@127.0.0.1:5432/cooperanet_bench

The target database is migrated and given the reference data of Coyhaique first (idempotent); then
`--count` incidents spread over `--years` years (more by day than by night, more on weekdays, clustered
around a few hot spots of each neighbourhood, older ones mostly resolved) are streamed with COPY in
chunks, with progress on stderr. Ends with VACUUM ANALYZE so the planner can use index-only scans.
Never point it at a database with real data: it only adds rows, but they are fake.
"""

import argparse
import io
import math
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = [
    "folio", "tracking_secret", "category_id", "description", "latitude", "longitude", "address",
    "neighbourhood_id", "responsible_actor_id", "reporter_id", "is_anonymous", "contact_name", "contact_rut",
    "contact_phone", "contact_email", "channel", "priority", "status", "duplicate_of_id", "supporters_count",
    "held_for_review", "due_at", "created_at", "updated_at", "closed_at", "resolution_code",
    "resolution_note", "resolved_at", "contested_count", "rejection_reason",
]  # fmt: skip
CHANNELS = [("web", 60), ("front_desk", 15), ("phone", 15), ("open311", 4), ("chat", 4), ("workshop", 2)]
OPEN = ["received", "in_review", "assigned", "in_progress", "waiting_decision"]
# Reports per hour of the day (local), roughly: few at night, a peak mid-morning and after work.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 8, 8, 8, 9, 9, 10, 10, 8, 6, 4, 3, 2]


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperanet.settings.dev")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()


def reference(stdout) -> dict:
    """Categories, neighbourhood centres and actors of the target database (loaded when missing)."""
    from django.core.management import call_command

    from cms_content.models import IncidentCategory, Neighbourhood

    print("migrating and loading the reference data…", file=stdout, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    if not IncidentCategory.objects.filter(parent__isnull=False).exists():
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    categories = []
    for category in IncidentCategory.objects.filter(parent__isnull=False).select_related("parent"):
        actor_id = category.responsible_actor_id or category.parent.responsible_actor_id
        # Sensitive sub-sections are rarer than potholes and street lights.
        weight = 1 if (category.sensitive or category.parent.sensitive) else 8
        categories.append((category.pk, actor_id, weight))
    centres = []
    for neighbourhood in Neighbourhood.objects.all():
        ring = neighbourhood.boundary["coordinates"][0]
        lon = sum(point[0] for point in ring) / len(ring)
        lat = sum(point[1] for point in ring) / len(ring)
        centres.append((neighbourhood.pk, lat, lon))
    return {"categories": categories, "centres": centres}


def _timestamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00") if moment else "\\N"


def rows(count: int, years: float, ref: dict, rng: random.Random, now: datetime, start_number: int):
    categories = ref["categories"]
    category_weights = [weight for _pk, _actor, weight in categories]
    centres = ref["centres"]
    # A few hot spots per neighbourhood, fixed for the run: incidents cluster, as they do in a city.
    hot_spots = [
        (pk, lat + rng.gauss(0, 0.002), lon + rng.gauss(0, 0.003))
        for pk, lat, lon in centres
        for _ in range(3)
    ]
    channel_names = [name for name, _weight in CHANNELS]
    channel_weights = [weight for _name, weight in CHANNELS]
    span_days = years * 365
    for index in range(count):
        # Growth: more reports lately (the platform becomes known), so draw ages skewed to recent.
        age_days = span_days * (rng.random() ** 1.3)
        day = now - timedelta(days=age_days)
        created = day.replace(hour=rng.choices(range(24), HOUR_WEIGHTS)[0], minute=rng.randrange(60))
        if created > now:
            created -= timedelta(days=1)
        if created.weekday() >= 5 and rng.random() < 0.3:
            created -= timedelta(days=2)
        category_id, actor_id, _weight = rng.choices(categories, category_weights)[0]
        neighbourhood_id, lat, lon = rng.choice(hot_spots)
        lat += rng.gauss(0, 0.0015)
        lon += rng.gauss(0, 0.002)
        due = created + timedelta(days=rng.choice([5, 10, 10, 15, 20]))
        age = (now - created).days
        resolved = closed = None
        resolution_code = rejection = ""
        contested = 0
        if rng.random() < 0.04:
            status = "rejected"
            closed = created + timedelta(days=rng.uniform(0.2, 5))
            rejection = rng.choice(["duplicate", "false_report", "not_competent"])
        elif rng.random() < min(0.97, 0.15 + age / 60):
            hours = math.exp(rng.gauss(4.8, 1.0))  # median ≈ 5 days, long tail
            resolved = created + timedelta(hours=hours)
            if resolved > now:
                resolved = now - timedelta(minutes=5)
            resolution_code = rng.choice(["repaired", "cleaned", "attended", "referred_out", "scheduled"])
            contested = 1 if rng.random() < 0.04 else 0
            status = "closed" if rng.random() < 0.8 else "resolved"
            closed = resolved + timedelta(days=rng.uniform(0, 7)) if status == "closed" else None
            if closed and closed > now:
                closed = now
        else:
            status = rng.choice(OPEN)
        anonymous = rng.random() < 0.3
        yield (
            f"CN-B{created.year}-{start_number + index}",
            f"bench{start_number + index:010d}",
            category_id,
            "Reporte de prueba para medir los tableros.",
            f"{lat:.6f}",
            f"{lon:.6f}",
            "",
            neighbourhood_id,
            actor_id if actor_id is not None else "\\N",
            "\\N",
            "t" if anonymous else "f",
            "",
            "",
            "",
            "",
            rng.choices(channel_names, channel_weights)[0],
            "normal",
            status,
            "\\N",
            rng.choice([0, 0, 0, 1, 2, 5]),
            "t" if rng.random() < 0.005 else "f",
            _timestamp(due),
            _timestamp(created),
            _timestamp(closed or resolved or created),
            _timestamp(closed),
            resolution_code,
            "",
            _timestamp(resolved),
            contested,
            rejection,
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a PostgreSQL URL (COPY)")
    setup_django(args.database_url)
    from django.db import connection

    ref = reference(sys.stderr)
    if not ref["categories"] or not ref["centres"]:
        print("no categories or neighbourhoods in the target database", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflows_incident")
        start_number = cursor.fetchone()[0] + 1
    started = time.monotonic()
    written = 0
    generator = rows(args.count, args.years, ref, rng, now, start_number)
    raw = connection.connection
    while written < args.count:
        buffer = io.StringIO()
        batch = 0
        for row in generator:
            buffer.write("\t".join(str(value) for value in row))
            buffer.write("\n")
            batch += 1
            if batch >= args.chunk:
                break
        if not batch:
            break
        buffer.seek(0)
        with raw.cursor() as cursor:
            cursor.copy_expert(
                f"COPY workflows_incident ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT text)", buffer
            )
        raw.commit()
        written += batch
        elapsed = time.monotonic() - started
        print(
            f"\r{written:>10,} / {args.count:,} incidents  {written / max(elapsed, 0.001):>9,.0f}/s",
            end="",
            file=sys.stderr,
            flush=True,
        )
    print(file=sys.stderr)
    raw.autocommit = True
    with raw.cursor() as cursor:
        print("VACUUM ANALYZE (visibility map for index-only scans)…", file=sys.stderr, flush=True)
        cursor.execute("VACUUM ANALYZE workflows_incident")
    print(f"done: {written:,} incidents in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
