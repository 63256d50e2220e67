"""Dashboard figures: counts by category, neighbourhood and week, hot spots, resolution times, backlog.

All are computed by the database (GROUP BY over the window); Python only folds the few grouped rows
(sections, k-anonymity) and looks up names.
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Floor
from django.utils import timezone
from django.utils.translation import get_language

from cms_content.models import Actor, IncidentCategory, Neighbourhood
from indicators.selectors.common import (
    GRID_DEGREES,
    K_ANONYMITY,
    Filters,
    PercentileCont,
    Window,
    incidents_in_window,
    k_merge,
    percentile,
    resolution_seconds,
    restricted_category_ids,
    restricted_flag,
    suppressed,
    uses_percentile_cont,
    within_deadline_q,
)
from workflows.models import OPEN_STATUSES, IncidentStatus

AGE_BANDS = [(0, 7), (8, 30), (31, 90), (91, 365), (366, None)]
BACKLOG_HORIZON_DAYS = 730  # open cases older than two years are read from the same bounded window


def _restricted(filters: Filters) -> frozenset[int]:
    # Staff figures have no k rule: skip the lookup (one query less on every internal chart).
    return restricted_category_ids() if filters.public else frozenset()


def _grouped(filters: Filters, restricted: frozenset[int], *keys, **annotations) -> list[dict]:
    queryset = incidents_in_window(filters).annotate(restricted=restricted_flag(restricted), **annotations)
    return list(queryset.values(*keys, "restricted").annotate(n=Count("*")))


def counts_by_category(filters: Filters) -> dict:
    """Sections and sub-sections with their counts; restricted ones shown as None when under K."""
    restricted = _restricted(filters)
    apply_k = filters.public
    rows = list(incidents_in_window(filters).values("category_id").annotate(n=Count("*")))
    categories = _category_lookup()
    sections: dict[int, dict] = {}
    subsections = []
    for row in rows:
        category = categories.get(row["category_id"])
        if category is None:
            continue
        section = categories.get(category["parent_id"]) or category
        is_restricted = category["pk"] in restricted
        entry = sections.setdefault(
            section["pk"],
            {"name": section["name"], "colour": section["colour"], "public": 0, "restricted": 0},
        )
        entry["restricted" if is_restricted else "public"] += row["n"]
        subsections.append(
            {
                "name": category["name"],
                "section": section["name"],
                "n": suppressed(row["n"], apply_k=apply_k) if is_restricted else row["n"],
                "restricted": is_restricted,
            }
        )
    section_rows = []
    for entry in sections.values():
        restricted_n = entry["restricted"]
        if apply_k and restricted_n < K_ANONYMITY:
            n = entry["public"] or (None if restricted_n else 0)
        else:
            n = entry["public"] + restricted_n
        section_rows.append({"name": entry["name"], "colour": entry["colour"], "n": n})
    key = lambda row: (-(row["n"] or 0), row["name"])  # noqa: E731
    return {"sections": sorted(section_rows, key=key), "subsections": sorted(subsections, key=key)}


def _category_lookup() -> dict[int, dict]:
    """Names of every category in the current language, as plain dicts (a small table, read once)."""
    english = (get_language() or "").startswith("en")
    rows = IncidentCategory.objects.values("pk", "parent_id", "name", "name_en", "colour")
    return {
        row["pk"]: {**row, "name": (row["name_en"] if english and row["name_en"] else row["name"])}
        for row in rows
    }


def counts_by_neighbourhood(filters: Filters) -> list[dict]:
    restricted = _restricted(filters)
    merged = k_merge(
        _grouped(filters, restricted, "neighbourhood_id"), "neighbourhood_id", apply_k=filters.public
    )
    names = dict(Neighbourhood.objects.values_list("pk", "name"))
    rows = [
        {"name": names.get(pk, "") if pk else str(_no_neighbourhood()), "n": n} for pk, n in merged.items()
    ]
    return sorted(rows, key=lambda row: (-row["n"], row["name"]))


def _no_neighbourhood():
    from django.utils.translation import gettext

    return gettext("Sin barrio")


def week_starts(window: Window) -> list[date]:
    """The Mondays of the weeks the window touches (the first may start before the window)."""
    first = window.date_from - timedelta(days=window.date_from.weekday())
    return [first + timedelta(days=7 * n) for n in range((window.date_to - first).days // 7 + 1)]


def week_number(starts: list[date]) -> Case:
    """Which of `starts`' weeks a row's created_at falls in, by comparing with each local Monday midnight.

    Cheaper than truncating every row to its week in the local time zone (PostgreSQL converts each
    timestamp then): a dozen comparisons of the indexed value, and the same on SQLite.
    """
    boundaries = [timezone.make_aware(datetime.combine(start, time.min)) for start in starts[1:]]
    return Case(
        *[When(created_at__lt=boundary, then=Value(number)) for number, boundary in enumerate(boundaries)],
        default=Value(len(boundaries)),
        output_field=IntegerField(),
    )


def counts_by_week(filters: Filters) -> list[dict]:
    """Reports per week (weeks start on Monday), every week of the window listed, empty ones as 0."""
    restricted = _restricted(filters)
    starts = week_starts(filters.window)
    merged = k_merge(
        _grouped(filters, restricted, "week", week=week_number(starts)), "week", apply_k=filters.public
    )
    return [{"week": start, "n": merged.get(number, 0)} for number, start in enumerate(starts)]


def trend(filters: Filters) -> dict:
    """Total in the window against the period of the same length just before it."""
    restricted = _restricted(filters)

    def total(window) -> int:
        rows = list(
            incidents_in_window(filters, window=window)
            .annotate(restricted=restricted_flag(restricted))
            .values("restricted")
            .annotate(n=Count("*"))
        )
        return sum(k_merge([{**row, "all": 1} for row in rows], "all", apply_k=filters.public).values())

    current = total(filters.window)
    previous = total(filters.window.previous())
    change = None if not previous else round(100 * (current - previous) / previous, 1)
    return {"current": current, "previous": previous, "change_pct": change}


def hot_spots(filters: Filters) -> list[list[float]]:
    """Grid cells [lat, lon, n] (cell centres): never single points; restricted cases only where a
    cell holds at least K of them."""
    restricted = _restricted(filters)
    rows = _grouped(
        filters,
        restricted,
        "cell_lat",
        "cell_lon",
        cell_lat=Floor(Value(1 / GRID_DEGREES) * F("latitude"), output_field=IntegerField()),
        cell_lon=Floor(Value(1 / GRID_DEGREES) * F("longitude"), output_field=IntegerField()),
    )
    for row in rows:
        row["cell"] = (row["cell_lat"], row["cell_lon"])
    merged = k_merge([row for row in rows if row["cell_lat"] is not None], "cell", apply_k=filters.public)
    return [
        [round((lat + 0.5) * GRID_DEGREES, 5), round((lon + 0.5) * GRID_DEGREES, 5), n]
        for (lat, lon), n in sorted(merged.items())
    ]


def resolution_by_actor(filters: Filters) -> list[dict]:
    """Per actor: resolved cases, median and p90 hours to resolve, share resolved within the deadline.

    One pass on PostgreSQL: it names every actor (a small table) so the partial index of resolved cases
    (`incident_resolved_actor_cov`) is walked actor by actor, already grouped (no sort of the window),
    with one ordered-set sort per actor (percentile_cont over an array of fractions). Publicly, an
    actor's restricted cases count only when it resolved at least K of them in the window; the rare actor
    under K gets its figures again without them (counts by subtraction, percentiles by a second query
    over that actor's cases only). SQLite (development, tests) computes percentiles in Python.
    """
    names = dict(Actor.objects.values_list("pk", "name"))
    queryset = incidents_in_window(filters).filter(
        resolved_at__isnull=False, responsible_actor_id__in=sorted(names)
    )
    restricted = sorted(_restricted(filters))
    in_restricted = Q(category_id__in=restricted)
    aggregates = {
        "resolved": Count("created_at"),
        "with_due": Count("created_at", filter=Q(due_at__isnull=False)),
        "in_time": Count("created_at", filter=within_deadline_q()),
    }
    if restricted:
        aggregates.update(
            restricted_resolved=Count("created_at", filter=in_restricted),
            restricted_with_due=Count("created_at", filter=in_restricted & Q(due_at__isnull=False)),
            restricted_in_time=Count("created_at", filter=in_restricted & within_deadline_q()),
        )
    if uses_percentile_cont():
        aggregates["seconds"] = PercentileCont(resolution_seconds(), RESOLUTION_FRACTIONS)
    totals, seconds, hidden = {}, {}, []
    for row in queryset.values("responsible_actor_id").annotate(**aggregates):
        actor_id = row["responsible_actor_id"]
        figures = {key: row[key] for key in ("resolved", "with_due", "in_time")}
        if restricted and 0 < row["restricted_resolved"] < K_ANONYMITY:
            hidden.append(actor_id)
            figures = {key: value - row[f"restricted_{key}"] for key, value in figures.items()}
        if figures["resolved"]:
            totals[actor_id] = figures
            seconds[actor_id] = row.get("seconds")
    if not uses_percentile_cont():
        counted = queryset.exclude(in_restricted & Q(responsible_actor_id__in=hidden)) if hidden else queryset
        seconds = _percentiles_in_python(counted)
    elif hidden:
        without_restricted = queryset.filter(responsible_actor_id__in=hidden).exclude(in_restricted)
        rows = without_restricted.values("responsible_actor_id").annotate(
            seconds=PercentileCont(resolution_seconds(), RESOLUTION_FRACTIONS)
        )
        seconds.update({row["responsible_actor_id"]: row["seconds"] for row in rows})
    result = []
    for actor_id, row in totals.items():
        p50, p90 = seconds.get(actor_id) or (None, None)
        result.append(
            {
                "actor_id": actor_id,
                "actor": names.get(actor_id, ""),
                "resolved": row["resolved"],
                "median_hours": _hours(p50),
                "p90_hours": _hours(p90),
                "in_time": row["in_time"],
                "with_due": row["with_due"],
                "in_time_pct": round(100 * row["in_time"] / row["with_due"], 1) if row["with_due"] else None,
            }
        )
    return sorted(result, key=lambda row: row["actor"])


RESOLUTION_FRACTIONS = (0.5, 0.9)


def _percentiles_in_python(queryset) -> dict[int, list[float]]:
    """{actor id: [seconds to resolve at each of RESOLUTION_FRACTIONS]} (the SQLite fallback)."""
    durations: dict[int, list[float]] = {}
    for actor_id, created, resolved in queryset.values_list(
        "responsible_actor_id", "created_at", "resolved_at"
    ):
        durations.setdefault(actor_id, []).append((resolved - created).total_seconds())
    return {
        actor_id: [percentile(values, fraction) for fraction in RESOLUTION_FRACTIONS]
        for actor_id, values in durations.items()
    }


def _hours(seconds) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def backlog_by_age(filters: Filters, *, now=None) -> list[dict]:
    """Open cases by age band, read over the last two years of reports (bounded like every window)."""
    now = now or timezone.now()
    horizon = replace(
        filters, window=Window((now - timedelta(days=BACKLOG_HORIZON_DAYS)).date(), timezone.localdate(now))
    )
    whens = []
    for index, (low, high) in enumerate(AGE_BANDS):
        condition = Q(created_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - timedelta(days=high + 1))
        whens.append(When(condition, then=Value(index)))
    restricted = _restricted(filters)
    rows = list(
        incidents_in_window(horizon)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            band=Case(*whens, default=Value(0), output_field=IntegerField()),
            restricted=restricted_flag(restricted),
        )
        .values("band", "restricted")
        .annotate(n=Count("*"))
    )
    merged = k_merge(rows, "band", apply_k=filters.public)
    return [
        {"band": band_label(low, high), "n": merged.get(index, 0)}
        for index, (low, high) in enumerate(AGE_BANDS)
    ]


def band_label(low: int, high: int | None) -> str:
    from django.utils.translation import gettext

    if high is None:
        return gettext("Más de %(days)s días") % {"days": low - 1}
    return gettext("%(low)s a %(high)s días") % {"low": low, "high": high}


def status_counts(filters: Filters) -> dict:
    """Received, resolved (resolved or closed) and open in the window, with the k rule."""
    restricted = _restricted(filters)
    rows = _grouped(filters, restricted, "status")
    merged = k_merge(rows, "status", apply_k=filters.public)
    resolved = merged.get(IncidentStatus.RESOLVED, 0) + merged.get(IncidentStatus.CLOSED, 0)
    open_count = sum(merged.get(status, 0) for status in OPEN_STATUSES)
    return {
        "total": sum(merged.values()),
        "resolved": resolved,
        "open": open_count,
        "rejected": merged.get(IncidentStatus.REJECTED, 0),
    }
