"""Sensitive categories in public figures: never as points, and only where there are at least 5."""

from datetime import timedelta

import pytest

from indicators.selectors.aggregates import (
    counts_by_category,
    counts_by_neighbourhood,
    counts_by_week,
    hot_spots,
    resolution_by_actor,
)
from indicators.selectors.common import GRID_DEGREES, Filters
from indicators.selectors.participation import participation
from tests.indicators.conftest import TODAY, at

pytestmark = pytest.mark.django_db

# Two cells far apart: the public cases in one, the sensitive ones in another.
PUBLIC_POINT = (-45.5712, -72.0685)
SENSITIVE_POINT = (-45.5900, -72.1000)


def _sensitive(world, count, **fields):
    for _ in range(count):
        world.incident(world.abuse, latitude=SENSITIVE_POINT[0], longitude=SENSITIVE_POINT[1], **fields)


def _cells(filters):
    return {
        (round(lat / GRID_DEGREES - 0.5), round(lon / GRID_DEGREES - 0.5)): n
        for lat, lon, n in hot_spots(filters)
    }


def test_four_sensitive_cases_are_suppressed_everywhere_in_public(world, window):
    world.incident(world.potholes)
    _sensitive(world, 4, neighbourhood=world.south)
    public = Filters(window=window, public=True)

    cells = hot_spots(public)
    assert len(cells) == 1 and cells[0][2] == 1
    assert abs(cells[0][0] - PUBLIC_POINT[0]) < GRID_DEGREES  # a cell centre, not the report's point
    assert counts_by_neighbourhood(public) == [{"name": "Norte", "n": 1}]
    assert sum(row["n"] for row in counts_by_week(public)) == 1
    categories = counts_by_category(public)
    assert {"name": "Violencia", "colour": "#1f5f99", "n": None} in categories["sections"]
    assert [row["n"] for row in categories["subsections"] if row["name"] == "Maltrato"] == [None]

    staff = Filters(window=window, public=False)
    assert sum(cell[2] for cell in hot_spots(staff)) == 5
    assert {"name": "Sur", "n": 4} in counts_by_neighbourhood(staff)


def test_five_sensitive_cases_in_one_cell_are_counted(world, window):
    world.incident(world.potholes)
    _sensitive(world, 5, neighbourhood=world.south)
    public = Filters(window=window, public=True)
    assert sorted(cell[2] for cell in hot_spots(public)) == [1, 5]
    assert {"name": "Sur", "n": 5} in counts_by_neighbourhood(public)
    assert [row["n"] for row in counts_by_category(public)["subsections"] if row["name"] == "Maltrato"] == [5]


def test_five_sensitive_cases_split_over_cells_stay_hidden_on_the_map(world, window):
    _sensitive(world, 3)
    for _ in range(2):
        world.incident(world.abuse, latitude=-45.55, longitude=-72.03)
    assert hot_spots(Filters(window=window, public=True)) == []


def test_public_resolution_times_leave_out_few_sensitive_cases(world, window):
    created = at(TODAY - timedelta(days=5))
    world.incident(world.potholes, created=created, resolved_at=created + timedelta(hours=10))
    _sensitive(world, 2, created=created, resolved_at=created + timedelta(hours=100))
    public_rows = resolution_by_actor(Filters(window=window, public=True))
    assert [(row["resolved"], row["median_hours"]) for row in public_rows] == [(1, 10.0)]
    staff_rows = resolution_by_actor(Filters(window=window, public=False))
    assert staff_rows[0]["resolved"] == 3


def test_public_page_never_shows_sensitive_points_or_folios(world, client):
    _sensitive(world, 3)
    world.incident(world.potholes)
    html = client.get("/indicadores/").content.decode()
    assert "CN-T-" not in html
    assert str(SENSITIVE_POINT[0]) not in html
    assert "Maltrato" in html and "menos de 5" in html


def test_public_resolution_times_count_sensitive_cases_once_there_are_five(world, window):
    created = at(TODAY - timedelta(days=5))
    world.incident(world.potholes, created=created, resolved_at=created + timedelta(hours=10))
    _sensitive(world, 5, created=created, resolved_at=created + timedelta(hours=100))
    [row] = resolution_by_actor(Filters(window=window, public=True))
    # Six cases: one of 10 h and five of 100 h; median 100 h, p90 100 h (linear interpolation).
    assert (row["resolved"], row["median_hours"], row["p90_hours"]) == (6, 100.0, 100.0)
    [staff] = resolution_by_actor(Filters(window=window, public=False))
    assert (staff["resolved"], staff["median_hours"]) == (6, 100.0)


def test_an_actor_with_only_a_few_sensitive_cases_is_not_listed_in_public(world, window):
    created = at(TODAY - timedelta(days=5))
    _sensitive(world, 3, created=created, resolved_at=created + timedelta(hours=30))
    assert resolution_by_actor(Filters(window=window, public=True)) == []
    [staff] = resolution_by_actor(Filters(window=window, public=False))
    assert (staff["resolved"], staff["median_hours"]) == (3, 30.0)


def test_public_participation_counts_sensitive_reports_only_from_five(world, window):
    world.incident(world.potholes)
    _sensitive(world, 4, neighbourhood=world.south)
    public = Filters(window=window, public=True)
    few = participation(public)
    assert (few["reports"], few["neighbourhoods"]) == (1, 1)
    assert participation(Filters(window=window, public=False))["reports"] == 5
    _sensitive(world, 1, neighbourhood=world.south)
    many = participation(public)
    assert (many["reports"], many["neighbourhoods"]) == (6, 2)
