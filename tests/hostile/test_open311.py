"""Open311 POST requests.{xml,json} and its reads under hostile input: the spec's errors, nothing stored."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from tests.hostile.helpers import ONE_MB, SCRIPT, SQL, ZERO_WIDTH_ONLY, snapshot

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"


def _post(client, fmt, fields):
    return client.post(
        f"{BASE}requests.{fmt}", data=urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def _descriptions(response, fmt) -> str:
    if fmt == "json":
        return " ".join(error["description"] for error in json.loads(response.content)).lower()
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return " ".join(node.findtext("description") or "" for node in root).lower()


def valid(cat, key, /, **changes):
    fields = {
        "api_key": key,
        "service_code": cat.slug,
        "lat": "-45.5712",
        "long": "-72.0685",
        "description": "Basura acumulada en la esquina",
    }
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


# (id, changes, status, fragment)
CASES = [
    ("no-api-key", {"api_key": None}, 403, "api_key"),
    ("wrong-api-key", {"api_key": "A" * 40}, 403, "api_key"),
    ("short-api-key", {"api_key": "abc"}, 403, "api_key"),
    ("api-key-nul", {"api_key": "abc\x00" * 10}, 403, "api_key"),
    ("api-key-sql", {"api_key": "' OR '1'='1"}, 403, "api_key"),
    ("service-code-missing", {"service_code": None}, 400, "service_code"),
    ("service-code-unknown", {"service_code": "no-existe"}, 400, "servicio desconocido"),
    ("service-code-sql", {"service_code": SQL}, 400, "service_code"),
    ("service-code-nul", {"service_code": "a\x00b"}, 400, "service_code"),
    ("description-missing", {"description": None}, 400, "description"),
    ("description-html", {"description": SCRIPT}, 400, "description"),
    ("description-nul", {"description": "a\x00b"}, 400, "description"),
    ("description-4001", {"description": "x" * 4001}, 400, "description"),
    ("description-1mb", {"description": ONE_MB}, 400, "description"),
    ("description-zero-width", {"description": ZERO_WIDTH_ONLY}, 400, "description"),
    ("lat-nan", {"lat": "NaN"}, 400, "lat"),
    ("lat-inf", {"lat": "inf"}, 400, "lat"),
    ("lat-text", {"lat": "sur"}, 400, "lat"),
    ("lat-91", {"lat": "91"}, 400, "lat"),
    ("long-181", {"long": "181"}, 400, "long"),
    ("lat-only", {"long": None}, 400, "lat y long"),
    ("outside-comuna", {"lat": "-33.45", "long": "-70.66"}, 400, "fuera de la comuna"),
    ("no-place", {"lat": None, "long": None}, 400, "indique el lugar"),
    ("email-invalid", {"email": "a@"}, 400, "email"),
    ("phone-letters", {"phone": "llámame"}, 400, "phone"),
    ("first-name-html", {"first_name": "<b>Ana</b>"}, 400, "first_name"),
    ("last-name-nul", {"last_name": "Pérez\x00"}, 400, "last_name"),
    ("media-url-javascript", {"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ("media-url-text", {"media_url": "no es una url"}, 400, "media_url"),
    ("address-nul", {"lat": None, "long": None, "address_string": "Calle\x00"}, 400, "address_string"),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("changes", "status", "fragment"), [pytest.param(c, s, f, id=i) for i, c, s, f in CASES]
)
def test_refused_posts_answer_the_spec_error_list_and_store_nothing(
    client, category, api_key, fmt, changes, status, fragment
):
    before = snapshot()
    response = _post(client, fmt, valid(category, api_key, **changes))
    assert response.status_code == status, response.content[:300]
    assert fragment.lower() in _descriptions(response, fmt)
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_sensitive_and_inactive_services_are_not_offered(
    client, sensitive_category, inactive_category, api_key, fmt
):
    before = snapshot()
    for cat in (sensitive_category, inactive_category):
        response = _post(client, fmt, valid(cat, api_key))
        assert response.status_code == 400
        assert "servicio desconocido" in _descriptions(response, fmt)
    assert snapshot() == before


def test_a_revoked_key_is_refused(client, category, api_key):
    from workflows.models import IntegratorKey

    IntegratorKey.objects.update(active=False)
    before = snapshot()
    response = _post(client, "json", valid(category, api_key))
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("requests.json?start_date=ayer", id="bad-start"),
        pytest.param("requests.json?start_date=2026-01-01&end_date=2026-12-31", id="span-over-90-days"),
        pytest.param("requests.json?end_date=2000-01-01&start_date=2026-01-01", id="end-before-start"),
        pytest.param("requests.xml?status=hackeado", id="bad-status"),
        pytest.param("requests.xml?service_code=%00", id="service-code-nul"),
        pytest.param("requests.json?service_request_id=%00", id="id-nul"),
        pytest.param("requests.json?service_request_id=" + ",".join(["a"] * 1001), id="too-many-ids"),
        pytest.param("requests.json?start_date=99999-01-01", id="year-99999"),
    ],
)
def test_bad_query_filters_are_400(client, db, url):
    response = client.get(BASE + url)
    assert response.status_code == 400, response.content[:300]
    assert _descriptions(response, "xml" if ".xml" in url else "json")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("requests.html", id="html-format"),
        pytest.param("requests.yaml", id="yaml-format"),
        pytest.param("services/no-existe.json", id="unknown-service"),
        pytest.param("requests/CN-2026-999999.xml", id="unknown-request"),
        pytest.param("tokens/%00.json", id="token-nul"),
        pytest.param("../../etc/passwd", id="traversal"),
    ],
)
def test_unknown_resources_are_the_spec_404(client, db, url):
    response = client.get(BASE + url)
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, db, method):
    response = getattr(client, method)(f"{BASE}requests.json")
    assert response.status_code == 405
