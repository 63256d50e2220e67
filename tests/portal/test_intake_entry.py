"""The front desk: reports entered for citizens in person or by phone, and bad input refused."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.cms_content import SubSectionFactory
from tests.portal.intake_helpers import PLAZA, intake_data, jpeg
from workflows import services
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentPhoto, ReportChannel

pytestmark = pytest.mark.django_db


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
