"""Who may see an incident photo: anyone for public cases, only those concerned for sensitive ones."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty
from PIL import Image

from tests.factories.accounts import UserFactory
from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import Incident
from workflows.storage import private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path, monkeypatch):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    # The private storage reads its root once: forget it so this test's files land in tmp_path.
    monkeypatch.setattr(private_storage, "_wrapped", empty)
    return tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "teal").save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def report_with_photo(*, reporter, actor, sensitive=False, is_evidence=False, by=None):
    category = SubSectionFactory(responsible_actor=actor, sensitive=sensitive, public=not sensitive)
    incident = services.incident_report(
        category=category, description="Hecho", by=reporter, address="Calle Prat 300", start_flow=False
    )
    return services.incident_photo_add(
        incident=incident, upload=jpeg(), by=by or reporter, is_evidence=is_evidence
    )


def photo_url(photo, *, thumbnail=False, secret=None) -> str:
    name = "portal:incident_photo_thumbnail" if thumbnail else "portal:incident_photo"
    url = reverse(name, kwargs={"uid": photo.uid})
    return f"{url}?s={secret}" if secret else url


def test_public_photo_is_shown_to_anyone(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor)

    response = client.get(photo_url(photo))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (800, 600)


def test_public_photo_thumbnail_is_shown_to_anyone(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor)

    response = client.get(photo_url(photo, thumbnail=True))

    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (400, 300)


def test_public_photo_headers_forbid_sniffing_and_allow_shared_caching(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor)

    response = client.get(photo_url(photo))

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_sensitive_photo_is_hidden_from_anonymous_visitors(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)

    assert client.get(photo_url(photo)).status_code == 404
    assert client.get(photo_url(photo, thumbnail=True)).status_code == 404


def test_sensitive_photo_is_hidden_from_another_citizen(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)
    client.force_login(UserFactory())

    assert client.get(photo_url(photo)).status_code == 404


def test_sensitive_photo_is_shown_to_its_reporter_and_kept_out_of_caches(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)
    client.force_login(citizen)

    response = client.get(photo_url(photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_sensitive_photo_is_shown_to_a_manager_of_its_responsible_actor(
    client, citizen, actor, agency_manager
):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)
    client.force_login(agency_manager)

    assert client.get(photo_url(photo)).status_code == 200


def test_sensitive_photo_is_hidden_from_staff_of_another_actor(client, citizen, agency_manager):
    photo = report_with_photo(reporter=citizen, actor=SubSectionFactory().responsible_actor, sensitive=True)
    client.force_login(agency_manager)

    assert client.get(photo_url(photo)).status_code == 404


def test_sensitive_photo_is_shown_with_the_tracking_secret(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)

    response = client.get(photo_url(photo, secret=photo.incident.tracking_secret))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_sensitive_photo_is_hidden_with_a_wrong_secret(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor, sensitive=True)
    other = report_with_photo(reporter=citizen, actor=actor, sensitive=True)

    assert client.get(photo_url(photo, secret=other.incident.tracking_secret)).status_code == 404


def test_sensitive_photo_of_an_anonymous_report_is_hidden_without_the_secret(client, actor):
    photo = report_with_photo(reporter=None, actor=actor, sensitive=True)

    assert client.get(photo_url(photo)).status_code == 404


def test_evidence_photo_is_not_public(client, citizen, actor, agency_staff):
    photo = report_with_photo(reporter=citizen, actor=actor, is_evidence=True, by=agency_staff)

    assert client.get(photo_url(photo)).status_code == 404


def test_evidence_photo_is_shown_to_staff_of_its_actor(client, citizen, actor, agency_staff):
    photo = report_with_photo(reporter=citizen, actor=actor, is_evidence=True, by=agency_staff)
    client.force_login(agency_staff)

    response = client.get(photo_url(photo))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_photo_of_a_report_held_for_review_is_not_public(client, citizen, actor):
    photo = report_with_photo(reporter=citizen, actor=actor)
    Incident.objects.filter(pk=photo.incident_id).update(held_for_review=True)

    assert client.get(photo_url(photo)).status_code == 404


def test_unknown_photo_answers_404(client):
    assert client.get(reverse("portal:incident_photo", kwargs={"uid": uuid.uuid4()})).status_code == 404


def test_photo_whose_file_is_missing_answers_404_not_500(client, citizen, actor, private_root):
    photo = report_with_photo(reporter=citizen, actor=actor)
    (private_root / photo.image.name).unlink()

    assert client.get(photo_url(photo)).status_code == 404
