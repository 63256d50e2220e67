"""An emergency in a browser: two actors dispatched, both acknowledge in the task UI, joint closure shown."""

import re
import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e


def _staff(username, actor_slug, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms_content.models import Actor, ActorMembership

    with django_db_blocker.unblock():
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.set_password(E2E_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="agency_staff"))
        ActorMembership.objects.get_or_create(user=user, actor=Actor.objects.get(slug=actor_slug))
    return username


def _sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/ingresar/?next=/tareas/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Ingresar").last.click()
    expect(page).to_have_url(re.compile(r"/tareas/"))


def _open_task(incident, name, actor_slug, django_db_blocker):
    from viewflow.workflow.models import Task

    from workflows.coordination_models import IncidentSubtask

    with django_db_blocker.unblock():
        subtask = IncidentSubtask.objects.get(incident=incident, actor__slug=actor_slug)
        task = (
            Task.objects.filter(
                process__artifact_object_id=incident.pk,
                flow_task__endswith=f".{name}",
                data__subtask_id=subtask.pk,
            )
            .exclude(status="DONE")
            .get()
        )
        return task.process_id, task.pk


def _work(page, incident, name, actor_slug, django_db_blocker, fill):
    process_id, task_id = _open_task(incident, name, actor_slug, django_db_blocker)
    page.goto(reverse(f"emergency:{name}:assign", args=[process_id, task_id]))
    page.locator("button[name=_continue]").click()  # "assign and continue" opens the task's form
    expect(page).to_have_url(re.compile(rf"/{name}/{task_id}/execute/"))
    expect(page.get_by_text("Tareas de todas las instituciones")).to_be_visible()
    fill(page)
    page.locator("form.vf-form button:not([name=_continue])").click()
    expect(page).not_to_have_url(re.compile(rf"/{task_id}/execute/"))


def test_emergency_dispatched_to_two_actors_both_acknowledge_then_joint_closure(
    page, live_url, django_db_blocker
):
    from cms_content.models import IncidentCategory
    from workflows import services

    samu = _staff("samu-e2e", "samu-hospital-coyhaique", django_db_blocker)
    carabineros = _staff("carabineros-e2e", "carabineros-coyhaique", django_db_blocker)
    created = {}

    def report():
        # Medical emergency: SAMU responsible, Carabineros supporting (fixtures/taxonomy.json).
        category = IncidentCategory.objects.get(slug="emergencia-medica")
        created["incident"] = services.incident_report(
            category=category, description="Persona desmayada en la vereda", address="Condell 150"
        )

    with django_db_blocker.unblock():
        # In a thread of its own: Playwright's event loop runs in this one, and the report broadcasts its
        # status through the channel layer (async_to_sync refuses to run inside a running loop).
        thread = threading.Thread(target=report)
        thread.start()
        thread.join()
        incident = created["incident"]
        assert incident.subtasks.count() == 2

    for username, slug in ((samu, "samu-hospital-coyhaique"), (carabineros, "carabineros-coyhaique")):
        _sign_in(page, username)
        _work(
            page,
            incident,
            "acknowledge",
            slug,
            django_db_blocker,
            lambda p: p.locator("input[name=confirm]").check(),
        )

    page.context.clear_cookies()
    page.goto(f"/seguimiento/{incident.folio}/")
    expect(page.get_by_text("La institución confirmó que va").first).to_be_visible()
    expect(page.get_by_text("Cierre conjunto")).to_have_count(0)

    for username, slug in ((samu, "samu-hospital-coyhaique"), (carabineros, "carabineros-coyhaique")):
        _sign_in(page, username)
        _work(
            page,
            incident,
            "report_part",
            slug,
            django_db_blocker,
            lambda p: p.locator("textarea[name=note]").fill("Atención terminada en el lugar"),
        )

    page.context.clear_cookies()
    page.goto(f"/seguimiento/{incident.folio}/")
    expect(page.get_by_text("Cierre conjunto")).to_be_visible()
    expect(page.get_by_text("Atendido en conjunto por")).to_be_visible()
    expect(page.get_by_text("Atención terminada en el lugar")).to_have_count(0)  # staff notes stay internal
    assert page.outside_requests == []
