"""Who may open what: the public dashboard for all; internal for managers (their actor), authority and
auditors; the audit views for auditors only."""

import pytest

from tests.factories.cms_content import ActorFactory
from workflows.models import SensitiveReadLog

pytestmark = pytest.mark.django_db

INTERNAL = "/indicadores/interno/"
AUDIT = "/indicadores/auditoria/"


def test_public_dashboard_is_open_to_everyone(client, world):
    world.incident()
    response = client.get("/indicadores/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="chart-weeks"' in html and "<table>" in html
    assert client.get("/indicadores/?semanas=nada").status_code == 200


@pytest.mark.parametrize("role", [None, "citizen", "front_desk", "agency_staff"])
def test_internal_dashboard_refused(client, request, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(INTERNAL).status_code == 403
    assert client.get(AUDIT).status_code == 403


def test_manager_sees_only_their_actor(client, agency_manager, actor):
    other = ActorFactory(name="Otra Institución Ajena")
    client.force_login(agency_manager)
    response = client.get(INTERNAL)
    assert response.status_code == 200
    html = response.content.decode()
    assert actor.name in html and other.name not in html
    # Asking for another actor is a form error, not a leak.
    response = client.get(INTERNAL, {"actor": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(AUDIT).status_code == 403


@pytest.mark.parametrize("role", ["authority", "auditor"])
def test_authority_and_auditor_see_every_actor(client, request, role):
    other = ActorFactory(name="Otra Institución Ajena")
    client.force_login(request.getfixturevalue(role))
    response = client.get(INTERNAL, {"desde": "2026-01-01", "hasta": "2026-12-31", "canal": "web"})
    assert response.status_code == 200
    assert other.name in response.content.decode()


def test_internal_bad_dates_are_a_spanish_error(client, authority):
    client.force_login(authority)
    response = client.get(INTERNAL, {"desde": "2026-12-31", "hasta": "2026-01-01"})
    assert response.status_code == 200
    assert "debe ser anterior" in response.content.decode()


def test_auditor_reads_every_case_and_sensitive_reads_are_logged(client, auditor, world):
    sensitive = world.incident(world.abuse, contact_name="Juana Secreta")
    public = world.incident(world.potholes)
    client.force_login(auditor)
    listing = client.get(AUDIT)
    assert listing.status_code == 200
    assert sensitive.folio in listing.content.decode() and public.folio in listing.content.decode()
    detail = client.get(f"{AUDIT}caso/{sensitive.folio}/")
    assert detail.status_code == 200
    assert "Juana Secreta" not in detail.content.decode()
    assert SensitiveReadLog.objects.filter(incident=sensitive, user=auditor, via="audit").count() == 1
    client.get(f"{AUDIT}caso/{public.folio}/")
    assert SensitiveReadLog.objects.filter(incident=public).count() == 0
    assert client.get(f"{AUDIT}caso/NO-EXISTE/").status_code == 404


def test_late_and_contested_lists(client, auditor, world):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    late = world.incident(due_at=now - timedelta(days=1))
    on_time = world.incident(due_at=now + timedelta(days=3))
    contested = world.incident(contested_count=1)
    client.force_login(auditor)
    html = client.get(AUDIT, {"atrasados": "on"}).content.decode()
    assert late.folio in html and on_time.folio not in html
    html = client.get(AUDIT, {"reclamados": "on"}).content.decode()
    assert contested.folio in html and late.folio not in html


def test_accountability_report_pdf_and_csv(client, auditor, world):
    from datetime import timedelta

    incident = world.incident()
    year = incident.created_at.year
    world.incident(resolved_at=incident.created_at + timedelta(hours=5), status="resolved")
    client.force_login(auditor)
    pdf = client.get(
        "/indicadores/auditoria/cuenta-publica/", {"actor": world.actor_a.pk, "anio": year, "formato": "pdf"}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv = client.get(
        "/indicadores/auditoria/cuenta-publica/", {"actor": world.actor_a.pk, "anio": year, "formato": "csv"}
    )
    text = csv.content.decode("utf-8-sig")
    assert "Reportes recibidos,2" in text and "Resueltos,1" in text
    bad = client.get("/indicadores/auditoria/cuenta-publica/", {"actor": world.actor_a.pk, "anio": "dos mil"})
    assert bad.status_code == 200 and "Revise los campos" in bad.content.decode()


def test_manager_may_not_open_the_accountability_report(client, agency_manager):
    client.force_login(agency_manager)
    assert client.get("/indicadores/auditoria/cuenta-publica/").status_code == 403
