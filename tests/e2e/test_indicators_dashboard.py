"""The public indicators dashboard in a real browser: charts drawn, their tables, the hot-spot map."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dashboard_incidents(e2e_data, django_db_blocker):
    """A few public incidents in one neighbourhood, committed for daphne (removed afterwards)."""
    from datetime import timedelta

    from django.utils import timezone

    from cms_content.models import IncidentCategory, Neighbourhood
    from workflows.models import Incident, IncidentStatus

    with django_db_blocker.unblock():
        category = next(c for c in IncidentCategory.objects.reportable() if c.is_publicly_visible)
        neighbourhood = Neighbourhood.objects.order_by("name").first()
        now = timezone.now()
        created = []
        for number in range(6):
            incident = Incident.objects.create(
                folio=f"CN-E2E-IND-{number}",
                category=category,
                description="Reporte de prueba del tablero.",
                latitude=-45.5712 + number * 0.0002,
                longitude=-72.0685,
                neighbourhood=neighbourhood,
                responsible_actor=category.responsible_actor,
                status=IncidentStatus.RESOLVED if number % 2 else IncidentStatus.RECEIVED,
                resolved_at=now - timedelta(days=1) if number % 2 else None,
                due_at=now + timedelta(days=5),
            )
            Incident.objects.filter(pk=incident.pk).update(created_at=now - timedelta(days=3 + number))
            created.append(incident)
    yield {"category": category, "neighbourhood": neighbourhood}
    with django_db_blocker.unblock():
        Incident.objects.filter(pk__in=[i.pk for i in created]).delete()


def test_public_dashboard_draws_charts_tables_and_map(page, dashboard_incidents):
    page.goto("/indicadores/")
    title = "Indicadores de seguridad y emergencias"
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()

    for chart in ["chart-weeks", "chart-sections", "chart-neighbourhoods", "chart-in-time", "chart-backlog"]:
        canvas = page.locator(f"canvas#{chart}")
        expect(canvas).to_have_attribute("data-drawn", "true")
        expect(canvas).to_have_attribute("role", "img")

    # Every chart is followed by its figures as a table, open for screen readers and everyone else.
    table = page.get_by_role("table", name="Reportes por barrio")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=f"{dashboard_incidents['neighbourhood'].name} 6")).to_be_visible()
    for caption in ["Reportes por semana", "Reportes por sección", "Casos abiertos hoy por antigüedad"]:
        expect(page.get_by_role("table", name=caption)).to_be_visible()

    heat_map = page.get_by_role("region", name="Mapa de calor de reportes por zona")
    expect(heat_map).to_have_attribute("data-drawn", "true")
    expect(heat_map.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    expect(heat_map.locator(".leaflet-marker-icon")).to_have_count(0)  # zones, never single reports
    assert page.outside_requests == []


def test_navigation_links_to_the_dashboard(page, e2e_data):
    page.goto("/")
    page.get_by_role("navigation", name="Menú principal").get_by_role("link", name="Indicadores").click()
    expect(page).to_have_url(re.compile(r"/indicadores/$"))
