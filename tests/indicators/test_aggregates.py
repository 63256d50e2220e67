"""Aggregates against values computed by hand on a few incidents."""

from datetime import timedelta

import pytest

from indicators.selectors.aggregates import (
    backlog_by_age,
    counts_by_category,
    counts_by_neighbourhood,
    counts_by_week,
    resolution_by_actor,
    status_counts,
    trend,
)
from indicators.selectors.common import Filters, percentile
from indicators.selectors.participation import participation
from tests.indicators.conftest import TODAY, at
from workflows.models import IncidentStatus

pytestmark = pytest.mark.django_db


def test_counts_by_category_neighbourhood_and_week(world, window):
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)  # last week's Monday, always inside the window
    world.incident(world.potholes, created=at(monday))
    world.incident(world.potholes, created=at(monday + timedelta(days=1)), neighbourhood=world.south)
    world.incident(world.lights, created=at(monday - timedelta(days=7)))
    world.incident(world.lights, created=at(TODAY - timedelta(days=60)))  # outside the window
    filters = Filters(window=window, public=False)

    categories = counts_by_category(filters)
    assert categories["sections"] == [{"name": "Calles", "colour": "#1f5f99", "n": 3}]
    assert {(row["name"], row["n"]) for row in categories["subsections"]} == {
        ("Baches", 2),
        ("Luminarias", 1),
    }
    assert counts_by_neighbourhood(filters) == [{"name": "Norte", "n": 2}, {"name": "Sur", "n": 1}]
    weeks = {row["week"]: row["n"] for row in counts_by_week(filters)}
    assert weeks[monday] == 2
    assert weeks[monday - timedelta(days=7)] == 1
    assert sum(weeks.values()) == 3
    first_monday = window.date_from - timedelta(days=window.date_from.weekday())
    assert sorted(weeks) == [first_monday + timedelta(days=7 * i) for i in range(len(weeks))]
    assert len(weeks) == (4 if window.date_from.weekday() == 0 else 5)


def test_trend_compares_with_the_previous_period(world, window):
    for _ in range(3):
        world.incident(created=at(TODAY - timedelta(days=2)))
    for _ in range(2):
        world.incident(created=at(window.date_from - timedelta(days=3)))
    assert trend(Filters(window=window, public=False)) == {"current": 3, "previous": 2, "change_pct": 50.0}


def test_resolution_median_p90_and_share_in_time(world, window):
    created = at(TODAY - timedelta(days=10))
    for hours, due_hours in [(10, 100), (20, 100), (30, 25), (40, 25)]:
        world.incident(
            world.potholes,
            created=created,
            resolved_at=created + timedelta(hours=hours),
            due_at=created + timedelta(hours=due_hours),
            status=IncidentStatus.RESOLVED,
        )
    world.incident(world.lights, created=created)  # not resolved: not in the figures
    rows = resolution_by_actor(Filters(window=window, public=False))
    assert len(rows) == 1
    row = rows[0]
    assert row["actor"] == "Aseo Municipal"
    assert row["resolved"] == 4
    assert row["median_hours"] == 25.0
    assert row["p90_hours"] == 37.0  # percentile_cont: 30 + 0.7 × (40 − 30)
    assert (row["in_time"], row["with_due"], row["in_time_pct"]) == (2, 4, 50.0)


def test_percentile_fallback_matches_percentile_cont():
    assert percentile([10, 20, 30, 40], 0.5) == 25
    assert percentile([10, 20, 30, 40], 0.9) == pytest.approx(37)
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None


def test_backlog_by_age_bands(world, window):
    from django.utils import timezone

    now = timezone.now()
    world.incident(created=now - timedelta(days=2))
    world.incident(created=now - timedelta(days=20))
    world.incident(created=now - timedelta(days=20), status=IncidentStatus.CLOSED)
    world.incident(created=now - timedelta(days=400))
    bands = [row["n"] for row in backlog_by_age(Filters(window=window, public=False), now=now)]
    assert bands == [1, 1, 0, 0, 1]


def test_held_reports_are_out_of_public_figures_only(world, window):
    world.incident()
    world.incident(held_for_review=True)
    assert status_counts(Filters(window=window, public=True))["total"] == 1
    assert status_counts(Filters(window=window, public=False))["total"] == 2


def test_participation_counts(world, window, citizen, neighbourhood_leader):
    world.incident(reporter=citizen)
    world.incident(reporter=citizen, neighbourhood=world.south)
    world.incident(reporter=neighbourhood_leader, category=world.lights)
    world.incident(is_anonymous=True)
    figures = participation(Filters(window=window, public=False))
    assert figures["reports"] == 4
    assert figures["reporters"] == 2
    assert figures["anonymous"] == 1
    assert figures["neighbourhoods"] == 2
    assert figures["actors"] == 2
