"""Citizens report from the web: category, place, description, photos, identity → folio and tracking."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows.models import Incident, IncidentPhoto

pytestmark = pytest.mark.django_db
PLAZA = {"latitude": "-45.5712", "longitude": "-72.0685"}


def form_url(category):
    return reverse("portal:report_form", args=[category.parent.slug, category.slug])


def valid_data(**overrides):
    data = {
        **PLAZA,
        "address": "Plaza de Armas",
        "description": "Hay un hoyo grande en la vereda.",
        "identity": "identified",
        "contact_name": "Rosa Millán",
        "contact_phone": "+56 9 8765 4321",
        "contact_email": "rosa@example.cl",
        "idempotency_key": "abc123",
    }
    data.update(overrides)
    return data


def jpeg(name="foto.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(db):
    NeighbourhoodFactory()
    return SubSectionFactory(name="Hoyo en la vereda", duplicate_radius_m=100)


def test_start_page_offers_sections_and_search_finds_a_sub_section(client, category):
    page = client.get(reverse("portal:report_start")).content.decode()
    assert category.parent.name in page
    found = client.get(reverse("portal:report_start"), {"q": "hoyo"}).content.decode()
    assert form_url(category) in found


def test_section_page_lists_its_sub_sections(client, category):
    page = client.get(reverse("portal:report_section", args=[category.parent.slug])).content.decode()
    assert form_url(category) in page


def test_valid_report_gives_a_folio_and_a_tracking_link(client, category):
    response = client.post(form_url(category), valid_data())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:report_done", args=[incident.folio])
    done = client.get(response["Location"]).content.decode()
    assert incident.folio in done
    assert f"?s={incident.tracking_secret}" in done
    assert (incident.contact_phone, incident.channel) == ("+56 9 8765 4321", "web")


def test_tracking_page_shows_status_but_never_the_reporters_identity(client, category):
    client.post(form_url(category), valid_data())
    incident = Incident.objects.get()
    page = client.get(reverse("portal:incident_detail", args=[incident.folio])).content.decode()
    assert "Recibido" in page
    assert incident.responsible_actor.name in page
    for private in ("Rosa", "Millán", "8765", "rosa@example.cl"):
        assert private not in page


def test_anonymous_report_stores_no_contact_data(client, category):
    client.post(form_url(category), valid_data(identity="anonymous"))
    incident = Incident.objects.get()
    assert incident.is_anonymous
    assert (incident.contact_name, incident.contact_phone, incident.contact_email) == ("", "", "")


def test_signed_in_citizen_sees_the_report_in_my_reports(client, citizen, category):
    client.force_login(citizen)
    client.post(form_url(category), valid_data())
    incident = Incident.objects.get()
    assert incident.reporter == citizen
    assert incident.folio in client.get(reverse("portal:my_reports")).content.decode()


def test_my_reports_does_not_show_other_peoples_reports(client, citizen, category):
    client.post(form_url(category), valid_data())  # anonymous visitor
    client.force_login(citizen)
    assert Incident.objects.get().folio not in client.get(reverse("portal:my_reports")).content.decode()


def test_photos_are_stored_with_the_report(client, category):
    client.post(form_url(category), {**valid_data(), "photos": [jpeg(), jpeg("b.jpg")]})
    assert IncidentPhoto.objects.filter(incident=Incident.objects.get()).count() == 2


def test_html_in_the_description_is_kept_as_text_and_shown_escaped(client, category):
    client.post(form_url(category), valid_data(description="<script>alert('x')</script> vereda rota"))
    incident = Incident.objects.get()
    page = client.get(reverse("portal:incident_detail", args=[incident.folio])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": "-33.44", "longitude": "-70.65"}, "fuera de la comuna"),
        ({"latitude": "nan", "longitude": "-72.06"}, ""),
        ({"latitude": "-45.57", "longitude": ""}, "no es válida"),
        ({"latitude": "", "longitude": "", "address": ""}, "escriba dónde ocurre"),
        ({"description": "   "}, ""),
        ({"description": "x" * 4001}, "4000"),
        ({"description": "hoyo\x00"}, "nulos"),
        ({"contact_phone": "", "contact_email": ""}, "teléfono o un correo"),
        ({"contact_email": "no-es-correo"}, "correo"),
        ({"identity": "otra-cosa"}, ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(client, category, overrides, message):
    response = client.post(form_url(category), valid_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Revise los campos marcados" in response.content.decode()
    assert Incident.objects.count() == 0


def test_a_non_image_photo_is_refused_and_nothing_is_stored(client, category):
    fake = SimpleUploadedFile("foto.jpg", b"esto no es una foto", content_type="image/jpeg")
    response = client.post(form_url(category), {**valid_data(), "photos": [fake]})
    assert response.status_code == 200
    assert Incident.objects.count() == 0
    assert IncidentPhoto.objects.count() == 0


def test_more_than_five_photos_are_refused(client, category):
    response = client.post(
        form_url(category), {**valid_data(), "photos": [jpeg(f"{n}.jpg") for n in range(6)]}
    )
    assert "hasta 5 fotos" in response.content.decode()
    assert Incident.objects.count() == 0


def test_category_rules_require_photo_exact_location_and_contact(client, category):
    strict = SubSectionFactory(requires_photo=True, requires_exact_location=True, requires_contact=True)
    response = client.post(
        form_url(strict),
        valid_data(latitude="", longitude="", identity="anonymous", contact_phone="", contact_email=""),
    )
    page = response.content.decode()
    assert "al menos una foto" in page
    assert "lugar exacto" in page
    assert "teléfono o un correo" in page
    assert Incident.objects.count() == 0


def test_emergency_in_progress_stops_the_form_with_the_number_to_call(client):
    fire = SubSectionFactory(
        blocks_form=True, emergency_phone="132", emergency_notice="Si hay fuego, llame al 132."
    )
    stop = client.get(form_url(fire)).content.decode()
    assert 'href="tel:132"' in stop
    assert 'name="description"' not in stop
    assert 'name="description"' in client.get(form_url(fire) + "?continuar=1").content.decode()


def test_inactive_or_unknown_category_is_a_404(client):
    inactive = SubSectionFactory(active=False)
    assert client.get(form_url(inactive)).status_code == 404
    assert client.get(reverse("portal:report_form", args=["no", "existe"])).status_code == 404


def test_sensitive_report_is_only_visible_with_its_secret_link(client):
    NeighbourhoodFactory()
    sensitive = SubSectionFactory(sensitive=True, public=False)
    client.post(form_url(sensitive), valid_data())
    incident = Incident.objects.get()
    detail = reverse("portal:incident_detail", args=[incident.folio])
    assert client.get(detail).status_code == 404
    assert client.get(detail + "?s=wrong").status_code == 404
    assert client.get(detail + f"?s={incident.tracking_secret}").status_code == 200


def test_done_page_is_only_for_the_browser_that_reported(client, category):
    client.post(form_url(category), valid_data())
    folio = Incident.objects.get().folio
    client.logout()
    client.cookies.clear()
    assert client.get(reverse("portal:report_done", args=[folio])).status_code == 404


def test_nearby_endpoint_lists_open_reports_of_the_same_category(client, category):
    client.post(form_url(category), valid_data())
    folio = Incident.objects.get().folio
    body = client.get(
        reverse("portal:report_nearby"), {"category": category.slug, **{"lat": "-45.5713", "lon": "-72.0685"}}
    ).json()
    assert [item["folio"] for item in body["results"]] == [folio]
    assert "Rosa" not in str(body)


@pytest.mark.parametrize(
    "params", [{"category": "x", "lat": "1", "lon": "2"}, {"lat": "abc", "lon": "2"}, {}]
)
def test_nearby_endpoint_refuses_bad_input_without_a_500(client, params):
    assert client.get(reverse("portal:report_nearby"), params).status_code == 400


def test_tracking_lookup_redirects_to_the_folio_page(client):
    response = client.get(reverse("portal:tracking_lookup"), {"folio": "cn-2026-000001"})
    assert response["Location"] == reverse("portal:incident_detail", args=["CN-2026-000001"])


def test_a_failure_after_photos_were_written_leaves_no_files_behind(client, category, settings, tmp_path):
    from unittest import mock

    from django.utils.functional import empty

    from workflows import services
    from workflows.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    private_storage._wrapped = empty  # re-read PRIVATE_MEDIA_ROOT on next use
    real_add = services.incident_photo_add
    calls = []

    def add_then_fail(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disco lleno")
        return real_add(**kwargs)

    with (
        mock.patch("workflows.services.incident_photo_add", side_effect=add_then_fail),
        pytest.raises(RuntimeError),
    ):
        client.post(form_url(category), {**valid_data(), "photos": [jpeg(), jpeg("b.jpg")]})
    private_storage._wrapped = empty
    assert Incident.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_same_form_sent_twice_creates_one_incident_and_shows_the_same_folio(client, category):
    data = {**valid_data(idempotency_key="form-123"), "photos": [jpeg()]}
    first = client.post(form_url(category), data)
    again = client.post(form_url(category), {**valid_data(idempotency_key="form-123"), "photos": [jpeg()]})
    assert Incident.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert IncidentPhoto.objects.count() == 1


def test_a_form_key_reused_with_other_content_is_refused(client, category):
    client.post(form_url(category), valid_data(idempotency_key="form-456"))
    other = valid_data(idempotency_key="form-456", description="Otra cosa")
    response = client.post(form_url(category), other)
    assert response.status_code == 200
    assert "ya se envió con otros datos" in response.content.decode()
    assert Incident.objects.count() == 1


def test_a_flood_of_reports_from_one_address_gets_429_with_retry_after(client, category, settings):
    settings.REPORT_FORM_RATE = "2/h"
    url = form_url(category)
    statuses = [client.post(url, valid_data(idempotency_key=f"k{n}")).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    flood = client.post(form_url(category), valid_data(idempotency_key="k9"))
    assert flood["Retry-After"] == "600"
    assert "No se guardó nada" in flood.content.decode()
    assert Incident.objects.count() == 2


def test_a_chat_message_turned_into_a_report_prefills_the_form_and_counts_as_chat(client, category):
    session = client.session
    session["chat.report_draft"] = {
        "description": "Hay un poste caído en la esquina",
        "room_id": 1,
        "message_id": 2,
    }
    session.save()
    assert "Hay un poste caído en la esquina" in client.get(form_url(category)).content.decode()
    client.post(form_url(category), valid_data(description="Hay un poste caído en la esquina"))
    assert Incident.objects.get().channel == "chat"
    assert "chat.report_draft" not in client.session
