"""The citizen report form under hostile input: a clear Spanish error, nothing stored, never a 500;
text that is accepted is shown escaped."""

import html
import io

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from tests.hostile.helpers import (
    ARABIC,
    BAD_PHOTOS,
    ONE_MB,
    RTL_OVERRIDE,
    SCRIPT,
    SQL,
    ZERO_WIDTH_ONLY,
    bad_photo_bytes,
    image_bytes,
    jpeg_with_gps,
    snapshot,
    upload,
)
from workflows.models import Incident, IncidentPhoto

pytestmark = pytest.mark.django_db

VALID = {
    "latitude": "-45.5712",
    "longitude": "-72.0685",
    "address": "Pasaje Los Coigües 12",
    "description": "La luminaria lleva una semana apagada.",
    "identity": "anonymous",
}
OUTSIDE = "fuera de la comuna"
BAD_POINT = "ubicación del mapa no es válida"

# (id, changes to VALID (None removes the field), expected fragment of the error shown)
REFUSED = [
    ("lat-91", {"latitude": "91"}, OUTSIDE),
    ("lat-minus-91", {"latitude": "-91", "longitude": "-72"}, OUTSIDE),
    ("lon-200", {"longitude": "-200"}, OUTSIDE),
    ("lat-nan", {"latitude": "NaN", "longitude": "NaN"}, BAD_POINT),
    ("lat-inf", {"latitude": "Infinity"}, BAD_POINT),
    ("lat-minus-inf", {"latitude": "-inf"}, BAD_POINT),
    ("lat-overflow", {"latitude": "1e309"}, BAD_POINT),
    ("lat-text", {"latitude": "cuarenta y cinco sur"}, BAD_POINT),
    ("lat-sql", {"latitude": "-45.57 OR 1=1"}, BAD_POINT),
    ("lat-hex", {"latitude": "0x1p3"}, BAD_POINT),
    ("lat-only", {"longitude": None}, BAD_POINT),
    ("lon-only", {"latitude": None}, BAD_POINT),
    ("santiago", {"latitude": "-33.4489", "longitude": "-70.6693"}, OUTSIDE),
    ("null-island", {"latitude": "0", "longitude": "0"}, OUTSIDE),
    ("lat-lon-swapped", {"latitude": "-72.0685", "longitude": "-45.5712"}, OUTSIDE),
    ("no-place-at-all", {"latitude": None, "longitude": None, "address": ""}, "Marque el lugar"),
    ("description-missing", {"description": None}, "Cuéntenos qué pasa"),
    ("description-blank", {"description": "   \n\t  "}, "Cuéntenos qué pasa"),
    ("description-zero-width", {"description": ZERO_WIDTH_ONLY}, "Cuéntenos qué pasa"),
    ("description-nul", {"description": "Poste\x00caído"}, "caracteres"),
    ("description-bell", {"description": "Poste\x07caído"}, "caracteres"),
    ("description-escape", {"description": "\x1b[31mrojo\x1b[0m"}, "caracteres"),
    ("description-1mb", {"description": ONE_MB}, "4000"),
    ("description-4001", {"description": "x" * 4001}, "4000"),
    ("address-nul", {"address": "Calle\x00Uno"}, "caracteres"),
    ("address-301", {"address": "x" * 301}, "300"),
    ("address-control", {"address": "Calle\x08Uno"}, "caracteres"),
    ("identity-forged", {"identity": "admin"}, "llegó alterado"),
    ("identified-without-contact", {"identity": "identified"}, "teléfono o un correo"),
    (
        "rut-wrong-check-digit",
        {"identity": "identified", "contact_phone": "+56 9 1234 5678", "contact_rut": "12.345.678-9"},
        "RUT no es válido",
    ),
    (
        "rut-sql",
        {"identity": "identified", "contact_phone": "+56 9 1234 5678", "contact_rut": "1' OR '1"},
        "RUT no es válido",
    ),
    (
        "rut-nul",
        {"identity": "identified", "contact_phone": "+56 9 1234 5678", "contact_rut": "1234\x005678-5"},
        "nulos",
    ),
    ("email-invalid", {"identity": "identified", "contact_email": "griselda@"}, "correo electrónico válida"),
    (
        "email-script",
        {"identity": "identified", "contact_email": "<script>@x.cl"},
        "correo electrónico válida",
    ),
    ("email-huge", {"identity": "identified", "contact_email": "a" * 300 + "@example.cl"}, "caracteres"),
    ("phone-nul", {"identity": "identified", "contact_phone": "+56\x009"}, "nulos"),
    ("phone-31", {"identity": "identified", "contact_phone": "9" * 31}, "30"),
    (
        "name-nul",
        {"identity": "identified", "contact_phone": "+56 9 1234 5678", "contact_name": "Ana\x00"},
        "caracteres",
    ),
    (
        "name-151",
        {"identity": "identified", "contact_phone": "+56 9 1234 5678", "contact_name": "A" * 151},
        "150",
    ),
    ("idempotency-key-101", {"idempotency_key": "k" * 101}, "llegó alterado"),
    ("idempotency-key-nul", {"idempotency_key": "abc\x00def"}, "llegó alterado"),
    ("idempotency-key-spaces", {"idempotency_key": "a b c"}, "se envió con otros datos"),
]


def _shown(response) -> str:
    return html.unescape(response.content.decode()).lower()


def _errors(response):
    form = (response.context or {}).get("form") if response.context is not None else None
    return dict(form.errors) if form is not None else response.status_code


def _url(category):
    return reverse("portal:report_form", args=[category.parent.slug, category.slug])


def _post(client, category, changes=None, files=None):
    data = {**VALID}
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if files:
        data["photos"] = files
    return client.post(_url(category), data)


@pytest.mark.parametrize(("changes", "message"), [pytest.param(c, m, id=i) for i, c, m in REFUSED])
def test_refused_input_stores_nothing_and_says_why(client, category, changes, message):
    before = snapshot()
    response = _post(client, category, changes)
    assert response.status_code < 500
    assert response.status_code != 302, "the hostile input was accepted"
    assert message.lower() in _shown(response), _errors(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "spec", "content_type", "message"),
    [pytest.param(n, s, c, m, id=i) for i, n, s, c, m in BAD_PHOTOS],
)
def test_a_bad_photo_stores_nothing_and_says_why(client, category, name, spec, content_type, message):
    before = snapshot()
    response = _post(client, category, files=[upload(name, bad_photo_bytes(spec), content_type)])
    assert response.status_code < 500
    assert response.status_code != 302
    assert message.lower() in _shown(response), _errors(response)
    assert snapshot() == before


def test_an_empty_file_is_refused(client, category):
    before = snapshot()
    response = _post(client, category, files=[upload("foto.jpg", b"")])
    assert response.status_code == 200 and "está vac" in _shown(response), _errors(response)
    assert snapshot() == before


def test_a_photo_over_the_size_limit_is_refused(client, category, settings):
    settings.PHOTO_MAX_BYTES = 50_000
    before = snapshot()
    response = _post(client, category, files=[upload("foto.bmp", b"\xff\xd8\xff" + b"0" * 60_000)])
    assert "demasiado grande" in html.unescape(response.content.decode())
    assert snapshot() == before


def test_more_photos_than_allowed_are_refused(client, category):
    before = snapshot()
    files = [upload(f"f{i}.jpg", image_bytes()) for i in range(settings.PHOTO_MAX_PER_REPORT + 1)]
    response = _post(client, category, files=files)
    assert "hasta 5 fotos" in html.unescape(response.content.decode())
    assert snapshot() == before


def test_one_bad_photo_among_good_ones_stores_none_of_them(client, category):
    before = snapshot()
    files = [upload("a.jpg", image_bytes()), upload("b.svg", b"<svg/>", "image/svg+xml")]
    response = _post(client, category, files=files)
    assert "Foto 2" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(lambda c: ("seccion-que-no-existe", c.slug), id="unknown-section"),
        pytest.param(lambda c: (c.parent.slug, "no-existe"), id="unknown-category"),
        pytest.param(lambda c: (c.slug, c.slug), id="category-as-section"),
        pytest.param(lambda c: (c.parent.slug, c.parent.slug), id="section-as-category"),
    ],
)
def test_a_wrong_category_path_is_a_404(client, category, path):
    before = snapshot()
    response = client.post(reverse("portal:report_form", args=path(category)), VALID)
    assert response.status_code == 404
    assert snapshot() == before


def test_an_inactive_category_is_a_404(client, inactive_category):
    before = snapshot()
    assert _post(client, inactive_category).status_code == 404
    assert snapshot() == before


def test_a_gps_photo_is_stored_without_any_metadata(client, category):
    response = _post(client, category, files=[upload("gps.jpg", jpeg_with_gps())])
    assert response.status_code == 302
    photo = IncidentPhoto.objects.get()
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            data = handle.read()
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif(), "EXIF survived"
        assert b"Griselda" not in data and b"GPS" not in data


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(SCRIPT, id="script"),
        pytest.param(SQL, id="sql"),
        pytest.param(RTL_OVERRIDE, id="rtl-override"),
        pytest.param(ARABIC, id="arabic"),
        pytest.param("Po\u200bste ca\u200dído", id="zero-width-inside"),
        pytest.param("{{ request.user }} {% debug %}", id="template-syntax"),
    ],
)
def test_accepted_text_is_stored_verbatim_and_shown_escaped(client, category, text):
    response = _post(
        client, category, {"description": text, "address": text, "latitude": None, "longitude": None}
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.description == text
    page = client.get(
        reverse("portal:incident_detail", args=[incident.folio]) + f"?s={incident.tracking_secret}"
    ).content.decode()
    assert html.escape(text, quote=False) in page or html.escape(text) in page
    assert "<script>alert" not in page
    assert Incident.objects.count() == 1  # the SQL-looking text did nothing to the table
