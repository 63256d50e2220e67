"""Participation indicators (seed 004): who reports, where, which actors, workshops; two periods."""

from django.db.models import Count, Q

from indicators.selectors.common import (
    K_ANONYMITY,
    Filters,
    Window,
    incidents_in_window,
    restricted_category_ids,
)


def _workshops(window: Window) -> dict:
    # workshops is built by another issue; until its selector exists the figures are zeros with a note.
    try:
        from workshops.selectors import workshop_participation
    except ImportError:
        return {"available": False, "workshops": 0, "attendance": 0, "organisations": 0}
    data = workshop_participation(date_from=window.date_from, date_to=window.date_to)
    totals = data.get("totals", {}) if isinstance(data, dict) else {}
    return {
        "available": True,
        "workshops": totals.get("workshops", 0),
        "attendance": totals.get("attendance", 0),
        "organisations": totals.get("organisations", 0),
    }


def participation(filters: Filters, *, window: Window | None = None) -> dict:
    """Citizens reporting (distinct signed-in reporters, anonymous reports), active neighbourhoods,
    actors involved, workshops held and their attendance. Counts only: nobody is named."""
    window = window or filters.window
    queryset = incidents_in_window(filters, window=window)
    figures = {
        "reports": Count("*"),
        "reporters": Count("reporter_id", distinct=True),
        "anonymous": Count("created_at", filter=Q(is_anonymous=True) | Q(reporter__isnull=True)),
        "neighbourhoods": Count("neighbourhood_id", distinct=True),
        "actors": Count("responsible_actor_id", distinct=True),
    }
    # Publicly, restricted categories join the totals only when there are at least K of them: counted in
    # the same pass, and only the rare window with 1 to K-1 of them is read again without them.
    restricted = sorted(restricted_category_ids()) if filters.public else []
    if restricted:
        counted = queryset.aggregate(
            **figures, restricted=Count("created_at", filter=Q(category_id__in=restricted))
        )
        if 0 < counted.pop("restricted") < K_ANONYMITY:
            counted = queryset.exclude(category_id__in=restricted).aggregate(**figures)
    else:
        counted = queryset.aggregate(**figures)
    return {**counted, **{f"workshop_{k}": v for k, v in _workshops(window).items()}, "window": window}


PARTICIPATION_KEYS = [
    "reports",
    "reporters",
    "anonymous",
    "neighbourhoods",
    "actors",
    "workshop_workshops",
    "workshop_attendance",
]


def participation_comparison(filters: Filters, *, other: Window | None = None) -> dict:
    """The window against another period (by default the one of the same length just before)."""
    other = other or filters.window.previous()
    current = participation(filters)
    previous = participation(filters, window=other)
    rows = []
    for key in PARTICIPATION_KEYS:
        a, b = current[key], previous[key]
        rows.append({"key": key, "current": a, "previous": b, "change": a - b})
    return {"current": current, "previous": previous, "rows": rows}
