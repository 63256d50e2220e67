"""Rows and file writers of the incident exports (CSV, XLSX, GeoJSON).

Never in any export: the reporter (user), contact name, RUT, phone or e-mail, the tracking secret, the
description (free text often names people) or photos. Public exports also leave out reports held for
review and every restricted category (sensitive or not public), and round coordinates: to 4 decimals
(about 11 m) everywhere and to 3 (about 110 m) in grid cells next to restricted cases of the period,
so a public pin cannot be used to place a sensitive one.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import Floor
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.selectors.common import GRID_DEGREES, Window, restricted_category_ids
from workflows.models import Incident, IncidentStatus, ReportChannel

MAX_WINDOW_DAYS = 3660
PUBLIC_FIELDS = [
    "folio",
    "created_at",
    "section",
    "subsection",
    "neighbourhood",
    "actor",
    "channel",
    "status",
    "latitude",
    "longitude",
    "due_at",
    "resolved_at",
    "closed_at",
    "resolved_in_time",
    "contested_count",
    "supporters_count",
]
STAFF_FIELDS = [
    *PUBLIC_FIELDS,
    "priority",
    "resolution_code",
    "rejection_reason",
    "held_for_review",
    "is_anonymous",
]
_VALUES = [
    "folio",
    "created_at",
    "category_id",
    "category__name",
    "category__parent__name",
    "neighbourhood__name",
    "responsible_actor__name",
    "channel",
    "status",
    "latitude",
    "longitude",
    "due_at",
    "resolved_at",
    "closed_at",
    "contested_count",
    "supporters_count",
    "priority",
    "resolution_code",
    "rejection_reason",
    "held_for_review",
    "is_anonymous",
]


class ExportParamsError(ValueError):
    """Bad export filters: the message is a Spanish sentence for the user."""


def window_from_params(params: dict, *, default_days: int = 90) -> Window:
    """The period of an export from `desde` / `hasta` (YYYY-MM-DD), checked; default the last 90 days."""
    today = timezone.localdate()
    try:
        date_to = date.fromisoformat(params["hasta"]) if params.get("hasta") else today
        date_from = (
            date.fromisoformat(params["desde"])
            if params.get("desde")
            else date_to - timedelta(days=default_days - 1)
        )
    except (TypeError, ValueError) as error:
        raise ExportParamsError(_("Escriba las fechas como AAAA-MM-DD.")) from error
    if date_from > date_to:
        raise ExportParamsError(_("La fecha «desde» debe ser anterior a la fecha «hasta»."))
    if (date_to - date_from).days >= MAX_WINDOW_DAYS:
        raise ExportParamsError(_("El período no puede ser mayor a diez años."))
    return Window(date_from, date_to)


def export_queryset(
    *, scope: str, window: Window, actor_ids=None, include_sensitive: bool = True
) -> QuerySet:
    queryset = Incident.objects.order_by("created_at", "pk").filter(
        created_at__gte=window.start, created_at__lt=window.end
    )
    if scope == "public":
        queryset = queryset.filter(held_for_review=False).exclude(
            category_id__in=sorted(restricted_category_ids())
        )
    else:
        if actor_ids is not None:
            queryset = queryset.filter(responsible_actor_id__in=actor_ids)
        if not include_sensitive:
            queryset = queryset.exclude(category__sensitive=True).exclude(category__parent__sensitive=True)
    return queryset


def near_restricted_cells(window: Window) -> set[tuple[int, int]]:
    """Grid cells holding restricted cases of the window, and their eight neighbours."""
    restricted = sorted(restricted_category_ids())
    if not restricted:
        return set()
    rows = (
        Incident.objects.order_by()
        .filter(created_at__gte=window.start, created_at__lt=window.end, category_id__in=restricted)
        .exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .annotate(
            cell_lat=Floor(Value(1 / GRID_DEGREES) * F("latitude"), output_field=IntegerField()),
            cell_lon=Floor(Value(1 / GRID_DEGREES) * F("longitude"), output_field=IntegerField()),
        )
        .values("cell_lat", "cell_lon")
        .annotate(n=Count("*"))
    )
    cells = set()
    for row in rows:
        for d_lat in (-1, 0, 1):
            for d_lon in (-1, 0, 1):
                cells.add((int(row["cell_lat"]) + d_lat, int(row["cell_lon"]) + d_lon))
    return cells


def _cell(lat: float, lon: float) -> tuple[int, int]:
    import math

    # The same arithmetic as the SQL of near_restricted_cells, so both agree at cell borders.
    return (math.floor((1 / GRID_DEGREES) * lat), math.floor((1 / GRID_DEGREES) * lon))


def _iso(value) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def export_rows(*, scope: str, queryset: QuerySet, window: Window) -> Iterator[dict]:
    """One dict per incident with exactly the fields of the scope (never identity or contact)."""
    fields = PUBLIC_FIELDS if scope == "public" else STAFF_FIELDS
    near = near_restricted_cells(window) if scope == "public" else set()
    statuses = dict(IncidentStatus.choices)
    channels = dict(ReportChannel.choices)
    for row in queryset.values(*_VALUES).iterator(chunk_size=2000):
        lat, lon = row["latitude"], row["longitude"]
        if scope == "public" and lat is not None and lon is not None:
            digits = 3 if _cell(lat, lon) in near else 4
            lat, lon = round(lat, digits), round(lon, digits)
        section = row["category__parent__name"] or row["category__name"]
        subsection = row["category__name"] if row["category__parent__name"] else ""
        in_time = ""
        if row["resolved_at"] and row["due_at"]:
            in_time = "si" if row["resolved_at"] <= row["due_at"] else "no"
        full = {
            "folio": row["folio"],
            "created_at": _iso(row["created_at"]),
            "section": section,
            "subsection": subsection,
            "neighbourhood": row["neighbourhood__name"] or "",
            "actor": row["responsible_actor__name"] or "",
            "channel": str(channels.get(row["channel"], row["channel"])),
            "status": str(statuses.get(row["status"], row["status"])),
            "latitude": lat,
            "longitude": lon,
            "due_at": _iso(row["due_at"]),
            "resolved_at": _iso(row["resolved_at"]),
            "closed_at": _iso(row["closed_at"]),
            "resolved_in_time": in_time,
            "contested_count": row["contested_count"],
            "supporters_count": row["supporters_count"],
            "priority": row["priority"],
            "resolution_code": row["resolution_code"],
            "rejection_reason": row["rejection_reason"],
            "held_for_review": "si" if row["held_for_review"] else "no",
            "is_anonymous": "si" if row["is_anonymous"] else "no",
        }
        yield {name: full[name] for name in fields}


Progress = Callable[[int], None]


def _counting(rows: Iterable[dict], progress: Progress | None, every: int = 1000) -> Iterator[dict]:
    count = 0
    for row in rows:
        yield row
        count += 1
        if progress and count % every == 0:
            progress(count)
    if progress:
        progress(count)


def csv_chunks(rows: Iterable[dict], fields: list[str]) -> Iterator[str]:
    """CSV text in pieces (for streaming responses and files alike); BOM so Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    buffer.write("\ufeff")
    writer.writeheader()
    for index, row in enumerate(rows, start=1):
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def geojson_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A GeoJSON FeatureCollection in pieces; incidents without a location are left out of the map file."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for row in rows:
        if row["latitude"] is None or row["longitude"] is None:
            continue
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": properties,
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


def write_xlsx(rows: Iterable[dict], fields: list[str], target) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Incidentes"))
    sheet.append(fields)
    for row in rows:
        sheet.append(["" if row[name] is None else row[name] for name in fields])
    workbook.save(target)


def write_export(
    *, fmt: str, rows: Iterable[dict], fields: list[str], target, progress: Progress | None = None
):
    """Write the rows to a binary file object in the format asked for."""
    rows = _counting(rows, progress)
    if fmt == "xlsx":
        write_xlsx(rows, fields, target)
        return
    chunks = csv_chunks(rows, fields) if fmt == "csv" else geojson_chunks(rows)
    for chunk in chunks:
        target.write(chunk.encode("utf-8"))


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
