"""The front desk: the receipt of a report, the lookup, and sensitive reports in it."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from portal import qr
from tests.factories.cms_content import SubSectionFactory
from tests.portal.intake_helpers import found_folios, other_officer, receipt, report, search
from workflows import services
from workflows.models import IncidentStatus

pytestmark = pytest.mark.django_db


# --- Receipt -------------------------------------------------------------------------------------------


def test_receipt_shows_folio_category_actor_phone_and_due_date(officer_client, front_desk, category):
    incident = report(category, front_desk)
    page = receipt(officer_client, incident).content.decode()
    assert f'id="receipt-folio">{incident.folio}<' in page
    assert category.name in page
    assert "Dirección de Alumbrado" in page and "67 221 1234" in page
    assert incident.due_at is not None
    assert incident.due_at.strftime("%Y") in page
    assert 'id="intake-print"' in page


def test_receipt_carries_the_tracking_url_with_its_secret(officer_client, front_desk, category):
    incident = report(category, front_desk)
    response = receipt(officer_client, incident)
    expected = f"http://testserver/seguimiento/{incident.folio}/?s={incident.tracking_secret}"
    assert response.context["qr_url"] == expected
    assert expected in response.content.decode()


def test_receipt_qr_code_is_an_inline_svg_of_the_tracking_url(officer_client, front_desk, category):
    incident = report(category, front_desk)
    page = receipt(officer_client, incident).content.decode()
    expected = f"http://testserver/seguimiento/{incident.folio}/?s={incident.tracking_secret}"
    # Regenerate the code of the expected URL with the same settings: same modules, same drawing.
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(error_correction=qr.ERROR_CORRECTION, border=qr.BORDER, image_factory=SvgPathImage)
    code.add_data(expected)
    code.make(fit=True)
    expected_path = re.search(r' d="([^"]+)"', code.make_image().to_string(encoding="unicode")).group(1)
    svg = re.search(r'<div class="intake-qr" id="receipt-qr">(<svg.*?</svg>)', page, re.S).group(1)
    assert re.search(r' d="([^"]+)"', svg).group(1) == expected_path


def test_receipt_never_shows_internal_notes(officer_client, front_desk, category, agency_manager):
    incident = report(category, front_desk)
    services.incident_change_status(
        incident_id=incident.pk,
        status=IncidentStatus.IN_REVIEW,
        by=agency_manager,
        note="Vecino conflictivo, verificar antes",
        public=False,
    )
    page = receipt(officer_client, incident).content.decode()
    assert "Vecino conflictivo" not in page
    assert "En revisión" in page


def test_receipt_of_an_unknown_folio_is_not_found(officer_client):
    assert officer_client.get(reverse("portal:intake_receipt", args=["CN-2026-999999"])).status_code == 404


# --- Search --------------------------------------------------------------------------------------------


@pytest.fixture
def two_reports(front_desk, category):
    wanted = report(
        category,
        front_desk,
        contact_rut="12345678-5",
        contact_phone="+56 9 8765 4321",
        address="Baquedano 120",
    )
    other = report(
        category, front_desk, contact_rut="11111111-1", contact_phone="2 2222 3333", address="Prat 455"
    )
    return wanted, other


def test_search_by_folio_finds_the_report(officer_client, two_reports):
    wanted, _other = two_reports
    assert found_folios(search(officer_client, wanted.folio.lower())) == [wanted.folio]


@pytest.mark.parametrize("rut", ["12.345.678-5", "12345678-5", "123456785", "12 345 678 5"])
def test_search_by_rut_matches_with_or_without_dots_and_hyphen(officer_client, two_reports, rut):
    wanted, _other = two_reports
    assert found_folios(search(officer_client, rut)) == [wanted.folio]


@pytest.mark.parametrize("phone", ["987654321", "+56 9 8765 4321", "56987654321", "9 8765-4321"])
def test_search_by_phone_matches_its_digits_however_typed(officer_client, two_reports, phone):
    wanted, _other = two_reports
    assert found_folios(search(officer_client, phone)) == [wanted.folio]


def test_search_by_address_matches_part_of_it(officer_client, two_reports):
    wanted, _other = two_reports
    assert found_folios(search(officer_client, "baquedano")) == [wanted.folio]


def test_search_result_shows_status_actor_deadline_and_links_the_receipt(officer_client, two_reports):
    wanted, _other = two_reports
    page = search(officer_client, wanted.folio).content.decode()
    assert "Recibido" in page
    assert "Dirección de Alumbrado" in page
    assert "Dentro del plazo" in page
    assert reverse("portal:intake_receipt", args=[wanted.folio]) in page


def test_search_finds_reports_made_by_citizens_on_the_web(officer_client, citizen, category):
    web = services.incident_report(
        category=category, description="Luminaria", by=citizen, address="Los Coigües 33"
    )
    assert found_folios(search(officer_client, "coigües")) == [web.folio]


# --- Sensitive categories -------------------------------------------------------------------------------


def test_officer_finds_the_sensitive_report_they_entered(officer_client, front_desk, sensitive_category):
    incident = report(sensitive_category, front_desk, address="Pasaje Los Maitenes 12")
    assert found_folios(search(officer_client, "maitenes")) == [incident.folio]
    assert receipt(officer_client, incident).status_code == 200


def test_another_officer_does_not_see_a_sensitive_report(
    client, front_desk, sensitive_category, django_user_model
):
    incident = report(sensitive_category, front_desk, address="Pasaje Los Maitenes 12")
    client.force_login(other_officer(django_user_model))
    assert found_folios(search(client, "maitenes")) == []
    assert found_folios(search(client, incident.folio)) == []
    assert receipt(client, incident).status_code == 404


def test_a_non_public_category_counts_as_sensitive(client, front_desk, django_user_model):
    hidden = SubSectionFactory(name="Venta de drogas", public=False)
    report(hidden, front_desk, address="Pasaje Los Maitenes 12")
    client.force_login(other_officer(django_user_model))
    assert found_folios(search(client, "maitenes")) == []


def test_officer_allowed_to_see_sensitive_cases_of_their_actor_finds_them(
    client, front_desk, sensitive_category, django_user_model, make_member
):
    incident = report(sensitive_category, front_desk, address="Pasaje Los Maitenes 12")
    colleague = other_officer(django_user_model)
    colleague.user_permissions.add(Permission.objects.get(codename="view_sensitive_incident"))
    make_member(colleague, sensitive_category.responsible_actor)
    client.force_login(colleague)
    assert found_folios(search(client, "maitenes")) == [incident.folio]


def test_sensitive_permission_without_membership_of_the_actor_shows_nothing(
    client, front_desk, sensitive_category, django_user_model
):
    report(sensitive_category, front_desk, address="Pasaje Los Maitenes 12")
    colleague = other_officer(django_user_model)
    colleague.user_permissions.add(Permission.objects.get(codename="view_sensitive_incident"))
    client.force_login(colleague)
    assert found_folios(search(client, "maitenes")) == []
