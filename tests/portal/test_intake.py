"""The front desk: reports entered for citizens in person or by phone, their receipt, and the lookup."""

import io
import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal import qr
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows import services
from workflows.models import (
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentPhoto,
    IncidentStatus,
    ReportChannel,
)

pytestmark = pytest.mark.django_db

PLAZA = {"latitude": "-45.5712", "longitude": "-72.0685"}
INTAKE_URL_NAMES = [
    ("portal:intake_new", []),
    ("portal:intake_search", []),
    ("portal:intake_citizen_search", []),
    ("portal:intake_receipt", ["CN-2026-000001"]),
]


def jpeg(name="documento.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def intake_data(sub_section, **overrides):
    data = {
        "channel": ReportChannel.PHONE,
        "contact_name": "Rosa Millán",
        "contact_rut": "12.345.678-5",
        "contact_phone": "+56 9 8765 4321",
        "contact_email": "rosa@example.cl",
        "category": sub_section.slug,
        "address": "Baquedano 120",
        "latitude": "",
        "longitude": "",
        "description": "Llama para avisar que la luminaria de su pasaje está apagada hace una semana.",
        "submission_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def report(category, officer, **overrides):
    """An incident entered by `officer` through the service, as the intake screen does."""
    values = {
        "category": category,
        "description": "Luminaria apagada",
        "by": officer,
        "channel": ReportChannel.FRONT_DESK,
        "contact_name": "Juan Soto",
        "contact_rut": "11111111-1",
        "contact_phone": "+56 9 3333 4444",
        "address": "Calle Prat 455",
    }
    values.update(overrides)
    return services.incident_report(**values)


@pytest.fixture
def category(db):
    NeighbourhoodFactory()
    # The citizen form would ask for a photo and a map point: the desk takes an address instead.
    return SubSectionFactory(
        name="Luminaria apagada",
        requires_photo=True,
        requires_exact_location=True,
        responsible_actor__phones="67 221 1234",
        responsible_actor__name="Dirección de Alumbrado",
    )


@pytest.fixture
def sensitive_category(db):
    return SubSectionFactory(
        name="Maltrato a una persona mayor", sensitive=True, public=False, requires_contact=True
    )


@pytest.fixture
def officer_client(client, front_desk):
    client.force_login(front_desk)
    return client


def other_officer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("otra-oficina", password="x")
    user.groups.add(Group.objects.get(name="front_desk"))
    return user


# --- Entering a report ---------------------------------------------------------------------------------


def test_officer_phone_report_stores_the_citizens_contact_without_attributing_it(
    officer_client, front_desk, category
):
    response = officer_client.post(reverse("portal:intake_new"), intake_data(category))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:intake_receipt", args=[incident.folio])
    assert incident.channel == ReportChannel.PHONE
    assert incident.reporter is None
    assert (incident.contact_name, incident.contact_rut, incident.contact_phone, incident.contact_email) == (
        "Rosa Millán",
        "12345678-5",
        "+56 9 8765 4321",
        "rosa@example.cl",
    )
    event = incident.events.get()
    assert (event.kind, event.by) == (IncidentEventKind.REPORTED, front_desk)


def test_in_person_report_gets_the_front_desk_channel(officer_client, category):
    officer_client.post(reverse("portal:intake_new"), intake_data(category, channel=ReportChannel.FRONT_DESK))
    assert Incident.objects.get().channel == ReportChannel.FRONT_DESK


def test_address_alone_is_enough_even_when_the_category_asks_citizens_for_a_pin_and_photo(
    officer_client, category
):
    officer_client.post(reverse("portal:intake_new"), intake_data(category))
    incident = Incident.objects.get()
    assert (incident.address, incident.latitude, incident.photos.count()) == ("Baquedano 120", None, 0)


def test_map_point_and_scanned_documents_are_stored_with_the_report(officer_client, front_desk, category):
    officer_client.post(
        reverse("portal:intake_new"),
        intake_data(category, address="", photos=[jpeg("carta.jpg"), jpeg("foto.jpg")], **PLAZA),
    )
    incident = Incident.objects.get()
    assert incident.latitude == pytest.approx(-45.5712)
    assert incident.neighbourhood is not None
    assert [photo.uploaded_by for photo in incident.photos.all()] == [front_desk, front_desk]


def test_anonymous_report_keeps_none_of_the_typed_contact_details(officer_client, category):
    officer_client.post(reverse("portal:intake_new"), intake_data(category, is_anonymous="on"))
    incident = Incident.objects.get()
    assert incident.is_anonymous
    assert (incident.contact_name, incident.contact_rut, incident.contact_phone, incident.contact_email) == (
        "",
        "",
        "",
        "",
    )


def test_the_same_form_sent_twice_stores_one_report_and_shows_its_receipt(officer_client, category):
    data = intake_data(category)
    first = officer_client.post(reverse("portal:intake_new"), data)
    second = officer_client.post(reverse("portal:intake_new"), data)
    assert Incident.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_next_form_starts_on_the_channel_the_officer_used_last(officer_client, category):
    officer_client.post(reverse("portal:intake_new"), intake_data(category, channel=ReportChannel.PHONE))
    page = officer_client.get(reverse("portal:intake_new")).content.decode()
    checked_radio = re.search(r'<input[^>]*name="channel"[^>]*checked[^>]*>', page).group(0)
    assert 'value="phone"' in checked_radio


def test_a_category_that_stops_the_citizen_form_can_still_be_recorded(officer_client):
    fire = SubSectionFactory(blocks_form=True, emergency_phone="132", emergency_notice="Llame al 132.")
    officer_client.post(reverse("portal:intake_new"), intake_data(fire))
    assert Incident.objects.get().category == fire


def test_intake_page_autofocuses_the_channel_and_groups_categories_by_section(officer_client, category):
    hidden = SubSectionFactory(name="Categoría desactivada", active=False)
    page = officer_client.get(reverse("portal:intake_new")).content.decode()
    checked_radio = re.search(r'<input[^>]*name="channel"[^>]*checked[^>]*>', page).group(0)
    assert "autofocus" in checked_radio
    assert page.count("autofocus") == 1
    assert f'<optgroup label="{category.parent.name}">' in page
    assert f'value="{category.slug}"' in page
    assert hidden.slug not in page


def test_intake_page_gives_each_category_its_emergency_number_for_the_notice(officer_client):
    fire = SubSectionFactory(
        blocks_form=True, emergency_phone="132", emergency_notice="Si hay fuego, llame al 132."
    )
    page = officer_client.get(reverse("portal:intake_new")).content.decode()
    option = re.search(rf'<option value="{fire.slug}"[^>]*>', page).group(0)
    assert 'data-phone="132"' in option
    assert 'data-blocks="1"' in option
    assert 'data-notice="Si hay fuego, llame al 132."' in option


BAD_INPUT = [
    ({"category": ""}, "Elija una categoría."),
    ({"category": "no-existe"}, "Elija una categoría de la lista."),
    ({"channel": ReportChannel.WEB}, "Elija «En persona» o «Por teléfono»."),
    ({"contact_rut": "12.345.678-9"}, "El RUT no es válido"),
    ({"contact_email": "rosa@"}, "El correo no es válido"),
    ({"contact_phone": "llamar al almacén"}, "El teléfono no es válido"),
    ({"contact_name": ""}, "Escriba el nombre de la persona, o marque «Anónimo»."),
    (
        {"contact_rut": "", "contact_phone": "", "contact_email": ""},
        "Indique al menos un RUT, un teléfono o un correo, o marque «Anónimo».",
    ),
    ({"address": ""}, "Escriba la dirección o marque el lugar en el mapa."),
    ({"latitude": "-33.4489", "longitude": "-70.6693"}, "fuera de la comuna de Coyhaique"),
    ({"latitude": "-45.5712"}, "La ubicación del mapa no es válida"),
    ({"latitude": "nan", "longitude": "nan"}, "La ubicación del mapa no es válida"),
    ({"description": "   "}, "Escriba qué pasa."),
    ({"description": "hola\x00"}, "El texto tiene caracteres no válidos."),
    ({"submission_key": "con espacios y ñ"}, "Recargue la página"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_shows_a_spanish_error_and_stores_nothing(officer_client, category, overrides, message):
    response = officer_client.post(reverse("portal:intake_new"), intake_data(category, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Incident.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused_before_anything_is_stored(officer_client, category):
    fake = SimpleUploadedFile("carta.jpg", b"%PDF-1.4 no es una foto", content_type="image/jpeg")
    response = officer_client.post(reverse("portal:intake_new"), intake_data(category, photos=[jpeg(), fake]))
    assert "Foto 2: El archivo no es una foto JPG, PNG o WebP." in response.content.decode()
    assert (Incident.objects.count(), IncidentPhoto.objects.count()) == (0, 0)


def test_more_than_five_photos_are_refused(officer_client, category):
    photos = [jpeg(f"foto{n}.jpg") for n in range(6)]
    response = officer_client.post(reverse("portal:intake_new"), intake_data(category, photos=photos))
    assert "Puede adjuntar hasta 5 fotos." in response.content.decode()
    assert Incident.objects.count() == 0


def test_anonymous_is_refused_for_a_category_that_needs_a_contact(officer_client, sensitive_category):
    response = officer_client.post(
        reverse("portal:intake_new"), intake_data(sensitive_category, is_anonymous="on")
    )
    assert "no admite reportes anónimos" in response.content.decode()
    assert Incident.objects.count() == 0


def test_a_photo_failing_while_saved_rolls_the_whole_report_back(officer_client, category, monkeypatch):
    def failing_photo_add(**kwargs):
        raise ValidationError("No se pudo guardar la foto.")

    monkeypatch.setattr(services, "incident_photo_add", failing_photo_add)
    response = officer_client.post(reverse("portal:intake_new"), intake_data(category, photos=[jpeg()]))
    assert response.status_code == 200
    assert "No se pudo guardar la foto." in response.content.decode()
    assert (Incident.objects.count(), IncidentEvent.objects.count()) == (0, 0)


# --- Receipt -------------------------------------------------------------------------------------------


def receipt(client, incident):
    return client.get(reverse("portal:intake_receipt", args=[incident.folio]))


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


def search(client, query):
    return client.get(reverse("portal:intake_search"), {"q": query})


def found_folios(response) -> list[str]:
    return re.findall(r'<th scope="row" class="intake-folio">([^<]+)</th>', response.content.decode())


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


# --- Find a citizen (JSON) ------------------------------------------------------------------------------


def citizen_search(client, query):
    return client.get(reverse("portal:intake_citizen_search"), {"q": query})


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
