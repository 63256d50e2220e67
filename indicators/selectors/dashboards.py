"""Everything one dashboard page shows, assembled from the aggregate selectors (one call per page)."""

from django.utils.translation import gettext as _

from indicators.selectors.aggregates import (
    backlog_by_age,
    counts_by_category,
    counts_by_neighbourhood,
    counts_by_week,
    hot_spots,
    resolution_by_actor,
    status_counts,
    trend,
)
from indicators.selectors.common import K_ANONYMITY, Filters
from indicators.selectors.internal import (
    contested_by_actor,
    deadline_alerts,
    escalations_by_actor,
    step_compliance,
    workload_by_staff,
)
from indicators.selectors.participation import participation_comparison


def _chart(kind: str, label: str, rows: list[dict], label_key: str, value_key: str = "n") -> dict:
    """What dashboard.js needs to draw one chart; the same rows feed the table alternative."""
    return {
        "type": kind,
        "label": label,
        "labels": [str(row[label_key]) for row in rows],
        "values": [row[value_key] if row[value_key] is not None else 0 for row in rows],
    }


def dashboard_data(filters: Filters, *, internal: bool = False) -> dict:
    categories = counts_by_category(filters)
    neighbourhoods = counts_by_neighbourhood(filters)
    weeks = counts_by_week(filters)
    resolution = resolution_by_actor(filters)
    backlog = backlog_by_age(filters)
    cells = hot_spots(filters)
    data = {
        "k": K_ANONYMITY,
        "totals": status_counts(filters),
        "trend": trend(filters),
        "sections": categories["sections"],
        "subsections": categories["subsections"],
        "neighbourhoods": neighbourhoods,
        "weeks": weeks,
        "hot_spots": cells,
        "hot_spot_rows": sorted(cells, key=lambda cell: -cell[2])[:20],
        "resolution": resolution,
        "backlog": backlog,
        "participation": participation_comparison(filters),
    }
    week_rows = [{"week": row["week"].strftime("%d-%m-%Y"), "n": row["n"]} for row in weeks]
    charts = {
        "chart-weeks": _chart("line", _("Reportes por semana"), week_rows, "week"),
        "chart-sections": _chart("bar", _("Reportes por sección"), categories["sections"], "name"),
        "chart-neighbourhoods": _chart("bar", _("Reportes por barrio"), neighbourhoods[:20], "name"),
        "chart-backlog": _chart("bar", _("Casos abiertos por antigüedad"), backlog, "band"),
        "chart-in-time": _chart(
            "bar",
            _("Porcentaje resuelto dentro del plazo"),
            [r for r in resolution if r["in_time_pct"] is not None],
            "actor",
            "in_time_pct",
        ),
    }
    if internal:
        data["steps"] = step_compliance(filters)
        data["alerts"] = deadline_alerts(filters)
        data["escalations"] = escalations_by_actor(filters)
        data["contested"] = contested_by_actor(filters)
        data["workload"] = workload_by_staff(filters)
        charts["chart-steps"] = _chart(
            "bar",
            _("Pasos cumplidos dentro del plazo (%)"),
            [s for s in data["steps"] if s["in_time_pct"] is not None],
            "step",
            "in_time_pct",
        )
    data["charts"] = charts
    return data
