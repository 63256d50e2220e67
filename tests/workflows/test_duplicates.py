"""Possible duplicates shown before submitting a report."""

import pytest

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.duplicates import distance_m, incident_nearby_open_list
from workflows.models import IncidentStatus

pytestmark = pytest.mark.django_db
PLAZA = (-45.5712, -72.0685)


def report(category, lat, lon, by):
    return services.incident_report(category=category, description="x", by=by, latitude=lat, longitude=lon)


def test_distance_of_one_thousandth_of_a_degree_of_latitude_is_about_111_metres():
    assert 110 < distance_m(-45.571, -72.068, -45.572, -72.068) < 112


def test_open_incident_of_the_same_category_inside_the_radius_is_shown(citizen):
    category = SubSectionFactory(duplicate_radius_m=100)
    near = report(category, PLAZA[0] + 0.0005, PLAZA[1], citizen)  # ~55 m
    report(category, PLAZA[0] + 0.002, PLAZA[1], citizen)  # ~222 m: outside
    assert incident_nearby_open_list(category=category, lat=PLAZA[0], lon=PLAZA[1]) == [near]


def test_other_categories_closed_incidents_and_zero_radius_are_not_shown(citizen, agency_manager):
    category = SubSectionFactory(duplicate_radius_m=100)
    other = SubSectionFactory(duplicate_radius_m=100)
    report(other, *PLAZA, citizen)
    closed = report(category, *PLAZA, citizen)
    services.incident_change_status(incident_id=closed.pk, status=IncidentStatus.CLOSED, by=agency_manager)
    assert incident_nearby_open_list(category=category, lat=PLAZA[0], lon=PLAZA[1]) == []
    no_radius = SubSectionFactory(duplicate_radius_m=0)
    report(no_radius, *PLAZA, citizen)
    assert incident_nearby_open_list(category=no_radius, lat=PLAZA[0], lon=PLAZA[1]) == []


def test_sensitive_incidents_are_never_offered_as_duplicates(citizen):
    category = SubSectionFactory(duplicate_radius_m=500, sensitive=True, public=False)
    report(category, *PLAZA, citizen)
    assert incident_nearby_open_list(category=category, lat=PLAZA[0], lon=PLAZA[1]) == []
