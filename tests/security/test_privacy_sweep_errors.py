"""Privacy sweep, extended (tests/portal/test_privacy_sweep.py has the pages and APIs): Open311 XML and JSON
in every shape, error answers and error pages never carry a reporter's name, RUT, e-mail or phone."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.portal.test_privacy_sweep import EMAIL, NAME, PHONE, SURNAME, leaks, reported  # noqa: F401
from workflows.open311.services import integrator_key_issue


@pytest.mark.django_db
def test_open311_reads_and_errors_in_both_formats_show_no_identity(client, reported):  # noqa: F811
    folio = reported.folio
    code = reported.category.slug
    urls = []
    for fmt in ("json", "xml"):
        urls += [
            f"/open311/v2/discovery.{fmt}",
            f"/open311/v2/services.{fmt}",
            f"/open311/v2/services/{code}.{fmt}",
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests.{fmt}?service_request_id={folio}",
            f"/open311/v2/requests.{fmt}?service_code={code}&status=open",
            f"/open311/v2/requests/{folio}.{fmt}",
            f"/open311/v2/tokens/{folio}.{fmt}",
            f"/open311/v2/requests.{fmt}?start_date=no-es-fecha",
            f"/open311/v2/requests/CN-0000-000000.{fmt}",
            f"/open311/v2/no-existe.{fmt}",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert leaks(response.content.decode()) == [], url
    assert folio in client.get(f"/open311/v2/requests/{folio}.xml").content.decode()


@pytest.mark.django_db
def test_an_open311_post_refused_or_accepted_does_not_echo_the_identity(client, reported):  # noqa: F811
    _integrator, key = integrator_key_issue(name="Integrador")
    fields = {
        "api_key": key,
        "service_code": reported.category.slug,
        "lat": "-45.5712",
        "long": "-72.0685",
        "first_name": NAME,
        "last_name": SURNAME,
        "email": EMAIL,
        "phone": PHONE,
    }
    for fmt in ("json", "xml"):
        for body in (fields, {**fields, "description": "<b>html</b>"}, {**fields, "description": "Poste caído"}):  # noqa: E501
            response = client.post(
                f"/open311/v2/requests.{fmt}", urlencode(body), content_type="application/x-www-form-urlencoded"  # noqa: E501
            )
            assert response.status_code < 500
            assert leaks(response.content.decode()) == [], (fmt, body.get("description"))


@pytest.mark.django_db
def test_error_pages_and_error_answers_show_no_identity(reported):  # noqa: F811
    client = Client(raise_request_exception=False)
    folio = reported.folio
    urls = [
        f"/seguimiento/{folio}/?s=clave-equivocada",
        f"/seguimiento/{folio}/respuesta/",
        f"/api/incidents/{folio}/?s=clave-equivocada",
        "/api/incidents/?created_after=no-es-fecha",
        "/api/incidents/?page=9999",
        "/reportar/listo/" + folio + "/",
        "/no-existe/",
        "/mis-reportes/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert leaks(response.content.decode()) == [], url
    refused = client.post(
        "/api/incidents/",
        {"category": reported.category.slug, "description": "x", "contact_email": EMAIL, "contact_phone": "x"},  # noqa: E501
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert EMAIL not in refused.content.decode()
