"""No page asks any host but the server: every citizen page, staff screen and admin screen, in a browser.

The municipality's server must keep working with its internet link cut: fonts, maps, charts, the task UI
and Wagtail's admin all come from the platform itself (tiles only from a configured local tile server).
CI also runs the SQLite browser suite inside a network namespace that has nothing but loopback.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

CITIZEN_PAGES = [
    "/",
    "/reportar/",
    "/reportar/{section}/",
    "/reportar/{section}/{subsection}/",
    "/seguimiento/",
    "/directorio/",
    "/directorio/{actor}/",
    "/ayuda/",
    "/talleres-comunitarios/",
    "/talleres-comunitarios/taller-sin-internet/",
    "/talleres/participar/",
    "/indicadores/",
    "/indicadores/datos-abiertos/",
    "/ingresar/",
    "/api/docs/",
]
STAFF_PAGES = [
    "/oficina/",
    "/oficina/buscar/?q=CN",
    "/tareas/",
    "/tareas/standard/queue/",
    "/tareas/emergency/queue/",
    "/personal/avisos/",
    "/personal/tareas/mapa/",
    "/coordinacion/",
    "/chat/",
    "/indicadores/interno/",
    "/indicadores/auditoria/",
    "/indicadores/exportar/",
    "/seguridad/activar/",
]
ADMIN_PAGES = [
    "/cms/",
    "/cms/pages/",
    "/cms/snippets/",
    "/cms/documents/",
    "/cms/images/",
    "/cms/users/",
]


@pytest.fixture(scope="module")
def slugs(e2e_data, django_db_blocker):
    from cms_content.models import Actor, IncidentCategory

    with django_db_blocker.unblock():
        subsection = (
            IncidentCategory.objects.filter(parent__isnull=False, active=True, sensitive=False)
            .select_related("parent")
            .order_by("pk")
            .first()
        )
        actor = Actor.objects.filter(active=True).order_by("pk").first()
        # The workshops index comes with the demo data, not the reference data: one upcoming workshop.
        from tests.workshops.helpers import make_workshop

        make_workshop(capacity=10, title="Taller sin internet", slug="taller-sin-internet")
    return {"section": subsection.parent.slug, "subsection": subsection.slug, "actor": actor.slug}


@pytest.fixture(scope="module")
def superuser(e2e_data, django_db_blocker):
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        user, _created = get_user_model().objects.get_or_create(
            username="sin-internet-e2e", defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(E2E_PASSWORD)
        user.save()
    return user.username


def visit_all(page, paths, slugs):
    for template in paths:
        path = template.format(**slugs)
        response = page.goto(path, wait_until="load")
        assert response is not None and response.status < 400, (path, response and response.status)
        # Let late scripts (maps, charts, sockets) ask for what they ask for.
        page.wait_for_timeout(250)


def test_citizen_pages_ask_no_outside_host(page, slugs):
    visit_all(page, CITIZEN_PAGES, slugs)
    assert page.outside_requests == []


def test_staff_and_admin_screens_ask_no_outside_host(page, slugs, superuser):
    page.goto("/ingresar/?next=/oficina/")
    page.get_by_label("Usuario").fill(superuser)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(r"/oficina/"))
    visit_all(page, STAFF_PAGES + ADMIN_PAGES, slugs)
    assert page.outside_requests == []
