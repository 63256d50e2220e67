"""The front desk: finding a citizen's earlier contact details, and who may use the desk."""

import pytest
from django.urls import reverse

from tests.portal.intake_helpers import INTAKE_URL_NAMES, citizen_search, intake_data, other_officer, report
from workflows.models import Incident

pytestmark = pytest.mark.django_db


# --- Find a citizen (JSON) ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["12.345.678-5", "987654321", "rosa millán", "ROSA"])
def test_find_citizen_returns_contact_details_of_earlier_reports(officer_client, front_desk, category, query):
    report(
        category,
        front_desk,
        contact_name="Rosa Millán",
        contact_rut="12345678-5",
        contact_phone="+56 9 8765 4321",
        contact_email="rosa@example.cl",
    )
    response = citizen_search(officer_client, query)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"name": "Rosa Millán", "rut": "12.345.678-5", "phone": "+56 9 8765 4321", "email": "rosa@example.cl"}
    ]


def test_find_citizen_lists_each_person_once_and_at_most_ten(officer_client, front_desk, category):
    for _repeat in range(2):
        report(category, front_desk, contact_name="Rosa Millán", contact_phone="+56 9 8765 4321")
    for number in range(12):
        report(
            category,
            front_desk,
            contact_name=f"Rosa Pérez {number}",
            contact_phone=f"+56 9 1111 00{number:02d}",
        )
    results = citizen_search(officer_client, "rosa").json()["results"]
    assert len(results) == 10
    assert len({(item["name"], item["phone"]) for item in results}) == 10


def test_find_citizen_also_finds_registered_accounts_by_name(officer_client, citizen):
    citizen.first_name, citizen.last_name = "Eliana", "Carrasco"
    citizen.save()
    results = citizen_search(officer_client, "carrasco").json()["results"]
    assert results == [{"name": "Eliana Carrasco", "rut": "", "phone": "", "email": citizen.email}]


def test_find_citizen_skips_anonymous_reports_and_sensitive_ones_of_other_officers(
    client, front_desk, category, sensitive_category, django_user_model
):
    report(sensitive_category, front_desk, contact_name="Rosa Millán", contact_phone="+56 9 8765 4321")
    report(category, front_desk, contact_name="Rosa Millán", is_anonymous=True)
    client.force_login(other_officer(django_user_model))
    assert citizen_search(client, "millán").json()["results"] == []


def test_find_citizen_needs_three_characters(officer_client, front_desk, category):
    report(category, front_desk, contact_name="Ro Li")
    assert citizen_search(officer_client, "ro").json()["results"] == []


# --- Who may use the front desk -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), INTAKE_URL_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(("name", "args"), INTAKE_URL_NAMES)
def test_citizens_are_refused(client, citizen, name, args):
    client.force_login(citizen)
    assert client.get(reverse(name, args=args), {"q": "rosa"}).status_code == 403


def test_citizen_cannot_post_a_front_desk_report(client, citizen, category):
    client.force_login(citizen)
    response = client.post(reverse("portal:intake_new"), intake_data(category))
    assert response.status_code == 403
    assert Incident.objects.count() == 0


def test_agency_staff_without_the_intake_permission_cannot_search_citizens(client, agency_staff):
    client.force_login(agency_staff)
    assert citizen_search(client, "rosa").status_code == 403
