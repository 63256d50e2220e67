"""POST /api/incidents/ and public reads under hostile input: 4xx, a Spanish message, nothing stored."""

import json

import pytest

from tests.hostile.helpers import ARABIC, ONE_MB, RTL_OVERRIDE, SCRIPT, SQL, ZERO_WIDTH_ONLY, snapshot
from workflows.models import Incident

pytestmark = pytest.mark.django_db

URL = "/api/incidents/"


def valid(cat, **changes) -> dict:
    body = {
        "category": cat.slug,
        "description": "Poste sin luz hace una semana.",
        "latitude": -45.5712,
        "longitude": -72.0685,
        "is_anonymous": True,
    }
    for key, value in changes.items():
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False).lower()


# (id, changes to the valid body, expected status, expected fragment of the answer)
FIELD_CASES = [
    ("lat-91", {"latitude": 91}, 400, "menor o igual"),
    ("lat-minus-91", {"latitude": -91}, 400, "mayor o igual"),
    ("lon-181", {"longitude": 181}, 400, "menor o igual"),
    ("lat-string", {"latitude": "cuarenta"}, 400, "número"),
    ("lat-nan-string", {"latitude": "NaN"}, 400, "número"),
    ("lat-inf-string", {"latitude": "Infinity"}, 400, "número"),
    ("lat-bool", {"latitude": True}, 400, "número"),
    ("lat-list", {"latitude": [-45.5]}, 400, "número"),
    ("lat-object", {"latitude": {"$gt": 0}}, 400, "número"),
    ("lat-only", {"longitude": None}, 400, "latitud y longitud"),
    ("outside-comuna", {"latitude": -33.4489, "longitude": -70.6693}, 400, "fuera de la comuna"),
    ("null-island", {"latitude": 0, "longitude": 0}, 400, "fuera de la comuna"),
    ("no-place", {"latitude": ..., "longitude": ..., "address": ""}, 400, "marque el lugar"),
    ("description-missing", {"description": ...}, 400, "necesario"),
    ("description-blank", {"description": "   "}, 400, "en blanco"),
    ("description-nul", {"description": "a\u0000b"}, 400, "nulos"),
    ("description-control", {"description": "a\u0007b"}, 400, "caracteres no válidos"),
    ("description-4001", {"description": "x" * 4001}, 400, "4000"),
    ("description-number", {"description": 12345}, 400, "debe ser texto"),
    ("description-list", {"description": ["a", "b"]}, 400, "debe ser texto"),
    ("description-object", {"description": {"a": 1}}, 400, "debe ser texto"),
    ("address-nul", {"address": "Calle\u0000"}, 400, "nulos"),
    ("address-301", {"address": "x" * 301}, 400, "300"),
    ("category-unknown", {"category": "no-existe"}, 400, "categoría desconocida"),
    ("category-sql", {"category": SQL}, 400, "categoría desconocida"),
    ("category-int", {"category": 1}, 400, "debe ser texto"),
    ("category-null", {"category": None}, 400, "nulo"),
    ("category-nul", {"category": "a\u0000b"}, 400, "nulos"),
    ("category-81", {"category": "c" * 81}, 400, "80"),
    ("is-anonymous-string", {"is_anonymous": "yes"}, 400, "true o false"),
    ("is-anonymous-int", {"is_anonymous": 1}, 400, "true o false"),
    ("rut-invalid", {"contact_rut": "12.345.678-9"}, 400, "rut no válido"),
    ("rut-sql", {"contact_rut": "1' OR 1=1 --"}, 400, "rut no válido"),
    ("phone-letters", {"contact_phone": "llámame"}, 400, "teléfono no válido"),
    ("phone-script", {"contact_phone": "<script>"}, 400, "teléfono no válido"),
    ("email-invalid", {"contact_email": "griselda@"}, 400, "correo"),
    ("email-nul", {"contact_email": "a\u0000@b.cl"}, 400, "nulos"),
    ("name-nul", {"contact_name": "Ana\u0000"}, 400, "nulos"),
    ("name-151", {"contact_name": "A" * 151}, 400, "150"),
    ("unknown-field", {"is_staff": True}, 400, "campo desconocido"),
    ("forged-status", {"status": "resolved"}, 400, "campo desconocido"),
    ("forged-folio", {"folio": "CN-2026-000001"}, 400, "campo desconocido"),
]


@pytest.mark.parametrize(
    ("changes", "status", "fragment"), [pytest.param(c, s, f, id=i) for i, c, s, f in FIELD_CASES]
)
def test_bad_fields_are_refused_with_a_spanish_message(client, category, changes, status, fragment):
    before = snapshot()
    response = client.post(URL, valid(category, **changes), content_type="application/json")
    assert response.status_code == status, response.content
    assert fragment in _text(response)
    assert snapshot() == before


# (id, raw body, content type, expected status, expected fragment)
RAW_CASES = [
    ("not-json", b"{category: 1", "application/json", 400, "no es json válido"),
    ("nan-literal", b'{"latitude": NaN}', "application/json", 400, "nan"),
    ("infinity-literal", b'{"latitude": Infinity}', "application/json", 400, "nan"),
    ("overflow-number", b'{"latitude": 1e309}', "application/json", 400, "fuera de rango"),
    ("lone-surrogate", b'{"description": "\\ud800"}', "application/json", 400, "caracteres no válidos"),
    ("surrogate-key", b'{"\\udfff": 1}', "application/json", 400, "caracteres no válidos"),
    ("deep-nesting", b'{"a":' * 50 + b"1" + b"}" * 50, "application/json", 400, "anidados"),
    ("very-deep-nesting", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "grande"),
    ("one-megabyte", json.dumps({"description": ONE_MB}).encode(), "application/json", 400, "grande"),
    ("repeated-key", b'{"category": "a", "category": "b"}', "application/json", 400, "repite"),
    ("latin1-body", '{"description": "ñandú"}'.encode("latin-1"), "application/json", 400, "utf-8"),
    ("array-body", b"[1, 2, 3]", "application/json", 400, "objeto json"),
    ("string-body", b'"hola"', "application/json", 400, "objeto json"),
    ("null-body", b"null", "application/json", 400, "objeto json"),
    ("empty-body", b"", "application/json", 400, ""),
    ("form-encoded", b"category=x&description=y", "application/x-www-form-urlencoded", 415, ""),
    ("text-plain", b"hola", "text/plain", 415, ""),
    ("xml", b"<incident><category>x</category></incident>", "application/xml", 415, ""),
]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [pytest.param(b, c, s, f, id=i) for i, b, c, s, f in RAW_CASES],
)
def test_malformed_bodies_are_refused(client, category, body, content_type, status, fragment):
    before = snapshot()
    response = client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == status, response.content[:300]
    assert fragment in _text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="empty"),
        pytest.param("k" * 101, id="too-long"),
        pytest.param("clave con espacios", id="spaces"),
        pytest.param("clave\tcon\ttab", id="tab"),
        pytest.param("ñandú", id="non-ascii"),
        pytest.param("'; DROP TABLE x; --", id="sql"),
    ],
)
def test_a_malformed_idempotency_key_is_refused(client, category, key):
    before = snapshot()
    response = client.post(
        URL, valid(category), content_type="application/json", headers={"Idempotency-Key": key}
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "idempotency_key_invalid"
    assert snapshot() == before


def test_an_idempotency_key_reused_with_another_body_is_refused(client, category):
    headers = {"Idempotency-Key": "clave-1"}
    assert (
        client.post(URL, valid(category), content_type="application/json", headers=headers).status_code == 201
    )
    before = snapshot()
    other = client.post(
        URL, valid(category, description="Otro texto"), content_type="application/json", headers=headers
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert snapshot() == before


def test_an_inactive_category_is_refused(client, inactive_category):
    before = snapshot()
    response = client.post(URL, valid(inactive_category), content_type="application/json")
    assert response.status_code == 400 and "no recibe reportes" in _text(response)
    assert snapshot() == before


def test_a_section_is_not_a_category(client, category):
    before = snapshot()
    response = client.post(URL, valid(category.parent), content_type="application/json")
    assert response.status_code == 400 and "sub-categoría" in _text(response)
    assert snapshot() == before


def test_a_sensitive_report_is_taken_but_never_listed(client, sensitive_category):
    response = client.post(URL, valid(sensitive_category), content_type="application/json")
    assert response.status_code == 201
    folio = response.json()["folio"]
    assert folio not in client.get(URL).content.decode()
    assert client.get(f"{URL}{folio}/").status_code == 404
    assert folio not in client.get("/open311/v2/requests.json").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("created_after=ayer", id="bad-date"),
        pytest.param("created_after=2026-13-45T99:99", id="impossible-date"),
        pytest.param("created_after=0394-07-20T12:04:34%2B17:51", id="offset-beyond-postgresql"),
        pytest.param("created_before=0001-01-01T00:00:00%2B14:00", id="year-one-with-offset"),
        pytest.param("status=hackeado", id="bad-status"),
        pytest.param("page=-1", id="negative-page"),
        pytest.param("page=99999", id="page-past-end"),
        pytest.param("page=abc", id="page-text"),
        pytest.param("page_size=100000000000000000000", id="huge-page-size"),
        pytest.param("category=%00", id="category-nul"),
        pytest.param("category=" + "x" * 500, id="category-500"),
        pytest.param("neighbourhood=%ED%A0%80", id="surrogate-bytes"),
        pytest.param("section=' OR 1=1 --", id="sql"),
    ],
)
def test_hostile_list_filters_never_fail(client, category, query):
    response = client.get(f"{URL}?{query}")
    assert 200 <= response.status_code < 500, response.content[:300]
    response.json()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("CN-2026-999999/", id="unknown"),
        pytest.param("%00/", id="nul"),
        pytest.param("..%2F..%2Fetc%2Fpasswd/", id="traversal"),
        pytest.param("x" * 300 + "/", id="long"),
        pytest.param("CN-2026-999999/supporters/", id="support-unknown"),
    ],
)
def test_hostile_incident_paths_are_404(client, db, path):
    method = client.post if path.endswith("supporters/") else client.get
    response = (
        method(f"{URL}{path}", content_type="application/json")
        if method == client.post
        else method(f"{URL}{path}")
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(SCRIPT, id="script"),
        pytest.param(SQL, id="sql"),
        pytest.param(RTL_OVERRIDE, id="rtl"),
        pytest.param(ARABIC, id="arabic"),
    ],
)
def test_accepted_text_comes_back_verbatim_as_json_and_escaped_in_html(client, category, text):
    response = client.post(URL, valid(category, description=text), content_type="application/json")
    assert response.status_code == 201
    folio = response.json()["folio"]
    assert client.get(f"{URL}{folio}/").json()["description"] == text
    page = client.get(f"/seguimiento/{folio}/").content.decode()
    assert "<script>alert" not in page
    assert Incident.objects.count() == 1


def test_zero_width_only_description_is_refused(client, category):
    before = snapshot()
    response = client.post(URL, valid(category, description=ZERO_WIDTH_ONLY), content_type="application/json")
    assert response.status_code == 400 and "describa qué ocurre" in _text(response)
    assert snapshot() == before
