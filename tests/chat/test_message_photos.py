"""Photos and a location on chat messages: sent over HTTP through the reports' photo pipeline, shown to
members only, and carried into the report made from the message."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty
from PIL import Image

from chat import services
from chat.models import Message, MessagePhoto
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import SubSectionFactory
from tests.hostile.helpers import jpeg_with_gps
from workflows.models import Incident

pytestmark = pytest.mark.django_db
PLAZA = {"latitude": "-45.5712", "longitude": "-72.0685"}
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    from workflows.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


def stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def photo(name="foto.jpg", content: bytes | None = None):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (640, 480), (20, 120, 40)).save(buffer, "JPEG")
        content = buffer.getvalue()
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def send_url(room):
    return reverse("chat:message_send", args=[room.pk])


def test_a_photo_with_a_location_is_stored_rebuilt_and_answered_as_json(client, room, member, settings):
    client.force_login(member)
    upload = photo("rosa-millan.jpg", jpeg_with_gps())
    response = client.post(
        send_url(room),
        {"body": "Microbasural en la esquina", "client_id": "c1", "photos": [upload], **PLAZA},
        **JSON,
    )
    assert response.status_code == 201
    payload = response.json()["message"]
    message = Message.objects.get()
    assert (message.body, message.latitude, message.longitude) == (
        "Microbasural en la esquina",
        -45.5712,
        -72.0685,
    )
    assert payload["location"] == {"lat": -45.5712, "lon": -72.0685}
    [stored] = message.photos.all()
    assert payload["photos"][0]["url"] == reverse("chat:message_photo", args=[stored.uid])
    # Rebuilt by the reports' pipeline: no EXIF (GPS, Artist), no original name on disk.
    with stored.image.open("rb") as handle:
        data = handle.read()
    assert b"Exif" not in data and b"Griselda" not in data
    assert all("rosa" not in path.name for path in stored_files(settings))


def test_a_photo_may_go_without_text_but_an_empty_message_is_refused(client, room, member):
    client.force_login(member)
    alone = client.post(send_url(room), {"body": "", "photos": [photo()]}, **JSON)
    assert alone.status_code == 201
    empty_message = client.post(send_url(room), {"body": "  "}, **JSON)
    assert empty_message.status_code == 400
    assert empty_message.json()["detail"] == "Escriba un mensaje antes de enviarlo."
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (lambda: photo("virus.jpg", b"MZ\x90\x00 not a picture"), "Foto 1: El archivo no es una foto"),
        (lambda: [photo(), photo(), photo(), photo()], "Puede adjuntar hasta 3 fotos."),
    ],
    ids=["not-a-photo", "too-many"],
)
def test_bad_photos_are_refused_in_spanish_and_nothing_is_stored(
    client, room, member, settings, upload, expected
):
    client.force_login(member)
    files = upload()
    response = client.post(send_url(room), {"body": "Miren esto", "photos": files}, **JSON)
    assert response.status_code == 400
    assert expected in response.json()["detail"]
    assert not Message.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "location",
    [
        {"latitude": "-33.45", "longitude": "-70.66"},
        {"latitude": "nan", "longitude": "1"},
        {"latitude": "-45.57"},
    ],
    ids=["santiago", "nan", "half"],
)
def test_a_location_outside_the_comuna_or_malformed_is_refused(client, room, member, location):
    client.force_login(member)
    response = client.post(send_url(room), {"body": "Aquí", **location}, **JSON)
    assert response.status_code == 400
    assert "ubicación" in response.json()["detail"]
    assert not Message.objects.exists()


def test_without_javascript_the_form_posts_and_returns_to_the_room_with_the_error(client, room, member):
    client.force_login(member)
    response = client.post(send_url(room), {"body": "Hola", "photos": [photo("x.jpg", b"no")]}, follow=True)
    assert response.redirect_chain[-1][0].endswith(reverse("chat:room_detail", args=[room.pk]))
    assert "El archivo no es una foto" in response.content.decode()
    assert not Message.objects.exists()


def test_a_muted_member_cannot_send_a_photo_and_no_file_is_left(client, room, join, settings):
    from datetime import timedelta

    from django.utils import timezone

    muted = UserFactory()
    join(muted, room, muted_until=timezone.now() + timedelta(hours=1))
    client.force_login(muted)
    response = client.post(send_url(room), {"body": "x", "photos": [photo()]}, **JSON)
    assert response.status_code == 403
    assert response.json()["error"] == "muted"
    assert stored_files(settings) == []


def test_the_photo_is_in_the_live_event_and_the_history(room, member):
    from workflows.services import photo_rebuild

    posted = services.message_post(
        room_id=room.pk, by=member, body="Mire", photos=[photo_rebuild(upload=photo())]
    )
    from chat import groups

    event = groups.chat_message_event(posted.message)
    assert len(event["message"]["photos"]) == 1
    from chat.selectors import message_history

    [shown] = message_history(room=room, for_moderator=False).messages
    assert shown.photos.all()[0].uid == posted.message.photos.get().uid


def _post_photo(room, user) -> MessagePhoto:
    from workflows.services import photo_rebuild

    posted = services.message_post(
        room_id=room.pk, by=user, body="Foto", photos=[photo_rebuild(upload=photo())]
    )
    return posted.message.photos.get()


def test_photos_are_served_to_members_only(client, room, member, other_member, other_room):
    stored = _post_photo(room, member)
    url = reverse("chat:message_photo", args=[stored.uid])
    client.force_login(other_member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert client.get(reverse("chat:message_photo_thumbnail", args=[stored.uid])).status_code == 200

    client.force_login(UserFactory())  # not a member
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_hidden_messages_photo_is_for_moderators_and_the_municipality_a_deleted_ones_for_nobody(
    client, room, member, other_member, moderator, municipality
):
    stored = _post_photo(room, member)
    url = reverse("chat:message_photo", args=[stored.uid])
    services.message_hide(message_id=stored.message_id, by=moderator, reason="Datos personales")
    for viewer, status in ((other_member, 404), (member, 404), (moderator, 200), (municipality, 200)):
        client.force_login(viewer)
        assert client.get(url).status_code == status, viewer

    second = _post_photo(room, member)
    services.message_delete(room_id=room.pk, message_id=second.message_id, by=member)
    client.force_login(moderator)
    assert client.get(reverse("chat:message_photo", args=[second.uid])).status_code == 404


def test_turning_the_message_into_a_report_carries_its_text_location_and_photos(client, room, member):
    category = SubSectionFactory(name="Microbasural")
    client.force_login(member)
    client.post(
        send_url(room), {"body": "Basura en el pasaje", "photos": [photo(), photo()], **PLAZA}, **JSON
    )
    message = Message.objects.get()
    response = client.post(reverse("chat:message_to_report", args=[room.pk, message.pk]))
    assert response.status_code == 302

    form_url = reverse("portal:report_form", args=[category.parent.slug, category.slug])
    page = client.get(form_url)
    form = page.context["form"]
    assert form["description"].initial == "Basura en el pasaje"
    assert (form["latitude"].initial, form["longitude"].initial) == (-45.5712, -72.0685)
    html = page.content.decode()
    for stored in message.photos.all():
        assert reverse("chat:message_photo_thumbnail", args=[stored.uid]) in html
    assert "Adjuntar las fotos del mensaje del chat (2)" in html

    data = {
        **PLAZA,
        "description": "Basura en el pasaje",
        "identity": "anonymous",
        "chat_photos": "on",
        "idempotency_key": "k-chat-1",
    }
    done = client.post(form_url, data)
    assert done.status_code == 302, done.context["form"].errors if done.context else done
    incident = Incident.objects.get()
    assert incident.channel == "chat"
    assert incident.photos.count() == 2
    with (
        incident.photos.first().image.open("rb") as copied,
        message.photos.first().image.open("rb") as source,
    ):
        assert copied.read() == source.read()


def test_unticking_leaves_the_chat_photos_out_and_the_limit_counts_them(client, room, member):
    category = SubSectionFactory(name="Microbasural")
    client.force_login(member)
    client.post(send_url(room), {"body": "Basura", "photos": [photo(), photo(), photo()], **PLAZA}, **JSON)
    client.post(reverse("chat:message_to_report", args=[room.pk, Message.objects.get().pk]))
    form_url = reverse("portal:report_form", args=[category.parent.slug, category.slug])
    base = {**PLAZA, "description": "Basura", "identity": "anonymous"}

    too_many = client.post(
        form_url,
        {**base, "chat_photos": "on", "photos": [photo(), photo(), photo()], "idempotency_key": "k2"},
    )
    assert too_many.status_code == 200
    assert "contando las del mensaje del chat" in json.dumps(
        too_many.context["form"].errors, ensure_ascii=False
    )
    assert not Incident.objects.exists()

    without = client.post(form_url, {**base, "idempotency_key": "k3"})
    assert without.status_code == 302
    assert Incident.objects.get().photos.count() == 0
