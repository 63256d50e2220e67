"""Geometry helpers and the neighbourhood of a point, on real Coyhaique coordinates."""

import pytest
from django.core.exceptions import ValidationError

from cms_content.geo import parse_point, validate_boundary
from cms_content.selectors import neighbourhood_for_point
from tests.factories.cms_content import square

PLAZA_DE_ARMAS = (-45.5712, -72.0685)


@pytest.mark.django_db
def test_plaza_de_armas_is_in_the_centro_neighbourhood(reference_data):
    assert neighbourhood_for_point(lat=PLAZA_DE_ARMAS[0], lon=PLAZA_DE_ARMAS[1]).slug == "centro"


@pytest.mark.django_db
def test_a_point_in_santiago_has_no_neighbourhood(reference_data):
    assert neighbourhood_for_point(lat=-33.4372, lon=-70.6506) is None


@pytest.mark.django_db
def test_points_across_the_city_fall_in_exactly_one_neighbourhood(reference_data):
    from cms_content.geo import boundary_contains
    from cms_content.models import Neighbourhood

    for lat in (-45.550, -45.565, -45.575, -45.590):
        for lon in (-72.100, -72.075, -72.055, -72.040):
            owners = [
                n for n in Neighbourhood.objects.all() if boundary_contains(n.boundary, lat=lat, lon=lon)
            ]
            assert len(owners) <= 1, (lat, lon, owners)


def test_parse_point_reads_the_geo_widget_format():
    point = parse_point("SRID=4326;POINT(-72.0685 -45.5712)")
    assert (point.lat, point.lon) == PLAZA_DE_ARMAS


@pytest.mark.parametrize("value", ["", "POINT(abc def)", "SRID=4326;POINT(-72.0 -95.0)", "nonsense"])
def test_parse_point_returns_none_for_unreadable_values(value):
    assert parse_point(value) is None


def test_validate_boundary_accepts_a_square_in_coyhaique():
    validate_boundary(square(*PLAZA_DE_ARMAS))


@pytest.mark.parametrize(
    "geojson",
    [
        {"type": "Point", "coordinates": [-72.06, -45.57]},
        {
            "type": "Polygon",
            "coordinates": [
                [[-72.07, -45.57], [-72.06, -45.56], [-72.07, -45.56], [-72.06, -45.57], [-72.07, -45.57]]
            ],
        },  # bow tie
        square(-33.44, -70.65),  # Santiago
        {"type": "Polygon", "coordinates": "nope"},
        "not a dict",
    ],
)
def test_validate_boundary_refuses_bad_polygons(geojson):
    with pytest.raises(ValidationError):
        validate_boundary(geojson)
