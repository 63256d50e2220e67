"""What every indicator query shares: the time window, the filters, the privacy rules and percentiles.

Every dashboard query reads `workflows_incident` through a time window on `created_at` and only the
columns of the covering indexes (`workflows.models.INDICATOR_COLUMNS`), so PostgreSQL answers from the
index alone and the cost follows the window's rows, never the table's size. Category flags are turned
into an id list here (a small table) instead of a join, for the same reason.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from cms_content.models import IncidentCategory
from workflows.models import Incident

# A public figure about cases of sensitive (or otherwise non-public) categories is shown only when it
# counts at least this many of them: fewer could point at a person.
K_ANONYMITY = 5
# Hot-spot grid: about 330 m north-south and 230 m east-west at Coyhaique's latitude.
GRID_DEGREES = 0.003


@dataclass(frozen=True)
class Window:
    """A period of whole local days, both ends included."""

    date_from: date
    date_to: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> "Window":
        """The period of the same length just before this one (for comparisons)."""
        return Window(self.date_from - timedelta(days=self.days), self.date_from - timedelta(days=1))

    @classmethod
    def last_weeks(cls, weeks: int, *, today: date | None = None) -> "Window":
        today = today or timezone.localdate()
        return cls(today - timedelta(days=7 * weeks - 1), today)


@dataclass(frozen=True)
class Filters:
    """What a dashboard looks at. `actor_ids` None means every actor; `public` hides held reports and
    applies the k-anonymity rule to non-public categories."""

    window: Window
    public: bool = True
    actor_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    neighbourhood_id: int | None = None
    channel: str = ""


def restricted_category_ids() -> frozenset[int]:
    """Categories whose incidents never appear as points in public: sensitive or not public (or under a
    section that is)."""
    rows = IncidentCategory.objects.values_list(
        "pk", "sensitive", "public", "parent__sensitive", "parent__public"
    )
    return frozenset(
        pk
        for pk, sensitive, public, parent_sensitive, parent_public in rows
        if sensitive or not public or parent_sensitive or parent_public is False
    )


def category_with_children(category: IncidentCategory) -> tuple[int, ...]:
    """A section stands for its sub-sections too."""
    return (category.pk, *category.children.values_list("pk", flat=True))


def incidents_in_window(filters: Filters, *, window: Window | None = None) -> QuerySet:
    """The incidents created in the window that the filters keep, with no ordering (for aggregates)."""
    window = window or filters.window
    queryset = Incident.objects.order_by().filter(created_at__gte=window.start, created_at__lt=window.end)
    if filters.public:
        queryset = queryset.filter(held_for_review=False)
    if filters.actor_ids is not None:
        queryset = queryset.filter(responsible_actor_id__in=filters.actor_ids)
    if filters.category_ids:
        queryset = queryset.filter(category_id__in=filters.category_ids)
    if filters.neighbourhood_id:
        queryset = queryset.filter(neighbourhood_id=filters.neighbourhood_id)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    return queryset


def restricted_flag(restricted_ids: frozenset[int]):
    """An SQL expression telling rows of restricted categories, computed from the indexed category id."""
    if not restricted_ids:
        return Value(False, output_field=BooleanField())
    return Case(
        When(category_id__in=sorted(restricted_ids), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def k_merge(rows: list[dict], key: str, *, apply_k: bool) -> dict:
    """Fold rows {key, restricted, n} into {key: n}: restricted parts count only from K_ANONYMITY up."""
    merged: dict = {}
    for row in rows:
        n = row["n"]
        if row["restricted"] and apply_k and n < K_ANONYMITY:
            n = 0
        merged[row[key]] = merged.get(row[key], 0) + n
    return {k: v for k, v in merged.items() if v}


def suppressed(n: int, *, apply_k: bool) -> int | None:
    """A count of restricted cases as published: None ("fewer than 5") for 1..4."""
    if apply_k and 0 < n < K_ANONYMITY:
        return None
    return n


class EpochSeconds(Func):
    """Seconds in an interval (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set `percentile_cont(ARRAY[p, …]) WITHIN GROUP (ORDER BY …)`: one sort gives
    every fraction asked, as a list."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(ARRAY[%(fractions)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(FloatField())

    def __init__(self, expression, fractions: tuple[float, ...], **extra):
        super().__init__(expression, fractions=", ".join(repr(float(f)) for f in fractions), **extra)


def resolution_seconds():
    return EpochSeconds(ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()))


def uses_percentile_cont() -> bool:
    return connection.vendor == "postgresql"


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as percentile_cont does (the SQLite fallback)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def within_deadline_q() -> Q:
    return Q(due_at__isnull=False, resolved_at__isnull=False, resolved_at__lte=F("due_at"))
