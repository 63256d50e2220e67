"""Exports never carry the reporter's identity; public ones leave out sensitive and held cases."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from indicators.exports import export_queryset, export_rows, window_from_params, write_export
from indicators.models import ExportJob
from indicators.services import export_job_create, export_job_run

pytestmark = pytest.mark.django_db

IDENTITY = ["Juana Pérez Soto", "12.345.678-5", "juana.perez@example.cl", "+56912345678", "juanita-reporta"]


@pytest.fixture
def reported(world, django_user_model):
    reporter = django_user_model.objects.create_user(
        username="juanita-reporta", email="juana.perez@example.cl", first_name="Juana", last_name="Pérez Soto"
    )
    fields = {
        "reporter": reporter,
        "contact_name": "Juana Pérez Soto",
        "contact_rut": "12.345.678-5",
        "contact_email": "juana.perez@example.cl",
        "contact_phone": "+56912345678",
    }
    return {
        "public": world.incident(world.potholes, latitude=-45.571234, longitude=-72.068567, **fields),
        "sensitive": world.incident(world.abuse, latitude=-45.60, longitude=-72.10, **fields),
        "held": world.incident(world.lights, held_for_review=True, **fields),
    }


def _export(scope, fmt, **kwargs) -> bytes:
    window = window_from_params({})
    queryset = export_queryset(scope=scope, window=window, **kwargs)
    from indicators.exports import PUBLIC_FIELDS, STAFF_FIELDS

    target = io.BytesIO()
    fields = PUBLIC_FIELDS if scope == "public" else STAFF_FIELDS
    write_export(
        fmt=fmt, rows=export_rows(scope=scope, queryset=queryset, window=window), fields=fields, target=target
    )
    return target.getvalue()


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(
        ",".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
@pytest.mark.parametrize("scope", ["public", "staff"])
def test_no_reporter_identity_in_any_export(reported, scope, fmt):
    content = _export(scope, fmt)
    text = _xlsx_text(content) if fmt == "xlsx" else content.decode("utf-8-sig")
    for value in IDENTITY:
        assert value not in text
    assert reported["public"].folio in text
    if scope == "public":
        assert reported["sensitive"].folio not in text and reported["held"].folio not in text
    else:
        assert reported["sensitive"].folio in text and reported["held"].folio in text


def test_public_coordinates_are_rounded(reported):
    features = json.loads(_export("public", "geojson"))["features"]
    assert features[0]["geometry"]["coordinates"] == [-72.0686, -45.5712]


def test_public_coordinates_near_sensitive_cases_are_rounded_more(world):
    world.incident(world.potholes, latitude=-45.571234, longitude=-72.068567)
    world.incident(world.abuse, latitude=-45.5713, longitude=-72.0686)
    features = json.loads(_export("public", "geojson"))["features"]
    assert features[0]["geometry"]["coordinates"] == [-72.069, -45.571]


def test_open_data_endpoint(client, reported):
    response = client.get("/indicadores/datos-abiertos/incidentes.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert reported["public"].folio in text and reported["sensitive"].folio not in text
    for value in IDENTITY:
        assert value not in text
    geo = client.get("/indicadores/datos-abiertos/incidentes.geojson", {"desde": "2026-01-01"})
    assert json.loads(b"".join(geo.streaming_content))["type"] == "FeatureCollection"
    bad = client.get("/indicadores/datos-abiertos/incidentes.csv", {"desde": "ayer"})
    assert bad.status_code == 400 and "AAAA-MM-DD" in bad.content.decode()
    too_long = client.get(
        "/indicadores/datos-abiertos/incidentes.csv", {"desde": "2020-01-01", "hasta": "2026-01-01"}
    )
    assert too_long.status_code == 400
    assert client.get("/indicadores/datos-abiertos/").status_code == 200


def test_staff_export_is_refused_to_the_public(citizen, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        export_job_create(user=citizen, session_key="", scope="staff", fmt="csv", params={})
    assert not ExportJob.objects.exists()


def test_authority_staff_export_leaves_out_sensitive_rows(authority, reported):
    job = export_job_create(user=authority, session_key="", scope="staff", fmt="csv", params={})
    assert export_job_run(job_id=job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    text = job.file.open("rb").read().decode("utf-8-sig")
    assert reported["public"].folio in text and reported["held"].folio in text
    assert reported["sensitive"].folio not in text


def test_window_params_are_checked():
    from indicators.exports import ExportParamsError

    with pytest.raises(ExportParamsError):
        window_from_params({"desde": "2026-02-01", "hasta": "2026-01-01"})
    window = window_from_params({"hasta": timezone.localdate().isoformat()})
    assert window.days == 90
    assert window_from_params({"desde": "2026-01-01", "hasta": "2026-01-31"}).days == 31
    assert (window.date_to - window.date_from) == timedelta(days=89)
