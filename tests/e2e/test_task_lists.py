"""A manager in the task UI: filters the queue, bulk-assigns to a team member, sees the map, gets the acta."""

import re
import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

ACTOR = "muni-aseo-ornato"  # responsible for "microbasural" and "grafiti" (fixtures/taxonomy.json)


def _member(username, *, is_manager, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms_content.models import Actor, ActorMembership

    with django_db_blocker.unblock():
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": username.split("-")[0].capitalize()}
        )
        user.set_password(E2E_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="agency_manager"))
        ActorMembership.objects.get_or_create(
            user=user, actor=Actor.objects.get(slug=ACTOR), defaults={"is_manager": is_manager}
        )
    return user


def _reports(django_db_blocker):
    from cms_content.models import IncidentCategory
    from workflows import services

    created = {}

    def report():
        for key, slug in (("dump", "microbasural"), ("graffiti", "grafiti")):
            created[key] = services.incident_report(
                category=IncidentCategory.objects.get(slug=slug),
                description="Caso de prueba de listas",
                address="Plaza de Armas",
                latitude=-45.5712,
                longitude=-72.0685,
            )

    with django_db_blocker.unblock():
        # In a thread of its own: Playwright's event loop runs in this one (see test_flows_emergency.py).
        worker = threading.Thread(target=report)
        worker.start()
        worker.join()
    return created


def _sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/ingresar/?next=/tareas/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(r"/tareas/"))


def test_manager_filters_bulk_assigns_sees_the_map_and_downloads_the_acta(page, live_url, django_db_blocker):
    from viewflow.workflow.models import Task

    manager = _member("jefa-aseo-e2e", is_manager=True, django_db_blocker=django_db_blocker)
    worker = _member("equipo-aseo-e2e", is_manager=False, django_db_blocker=django_db_blocker)
    cases = _reports(django_db_blocker)
    with django_db_blocker.unblock():
        dump_task = Task.objects.get(
            process__artifact_object_id=cases["dump"].pk, flow_task__endswith=".triage"
        )
        graffiti_category = cases["graffiti"].category_id
        dump_category = cases["dump"].category_id

    _sign_in(page, manager.username)
    # 1. Filter the queue by category and deadline light: only the dump's triage is listed.
    page.goto(f"{reverse('standard:queue')}?category={dump_category}&deadline=ok")
    rows = page.locator("tr[data-row-id]")
    expect(page.locator(f'tr[data-row-id="{dump_task.pk}"]')).to_be_visible()
    expect(page.get_by_text(cases["graffiti"].folio)).to_have_count(0)
    expect(rows.first.locator(".deadline-ok")).to_be_visible()

    # 2. Bulk assign through viewflow's list: tick the row, pick the action, confirm with a person.
    page.locator(f'tr[data-row-id="{dump_task.pk}"] input[type=checkbox]').check()
    chosen = page.locator(".vf-list__action-select .mdc-select__selected-text")
    if "Asignar a una persona del equipo" not in (chosen.text_content() or ""):
        # viewflow pre-selects the only action; otherwise pick it from the menu.
        page.locator(".vf-list__action-select .mdc-select__anchor").click()
        page.get_by_role("option", name="Asignar a una persona del equipo").click()
    page.locator(".vf-list__action-button").click()
    expect(page.get_by_role("heading", name="Asignar las tareas elegidas")).to_be_visible()
    page.get_by_label("Asignar a").select_option(str(worker.pk))
    page.get_by_role("button", name="Asignar", exact=True).click()
    expect(page).to_have_url(re.compile(r"/standard/queue/(\?[^/]*)?$"))  # back on the list itself
    expect(page.locator(f'tr[data-row-id="{dump_task.pk}"]')).to_have_count(0)  # no longer queued
    with django_db_blocker.unblock():
        dump_task.refresh_from_db()
        assert dump_task.owner_id == worker.pk

    # 3. The map of the actor's open tasks (Leaflet served by us, no outside requests).
    page.goto(reverse("workflows_staff:task_map"))
    expect(page.locator(".map.map-ready")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    assert page.outside_requests == []

    # 4. The acta PDF from the queue's row of the other case.
    page.goto(f"{reverse('standard:queue')}?category={graffiti_category}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Acta PDF").first.click()
    download = download_info.value
    assert download.suggested_filename == f"acta-{cases['graffiti'].folio}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
