"""Live workshop in browsers: a participant ranks from a phone, the trainer's projected screen updates."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

GROUPS = ["Luminarias", "Microtráfico", "Perros sueltos", "Basura", "Robos"]


@pytest.fixture
def live_question(e2e_data, django_db_blocker):
    """A published workshop led by a trainer, with an open "rank your top 5" question, committed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from workshops import services
    from workshops.demo import workshop_index_ensure
    from workshops.models import QuestionKind, WorkshopKind, WorkshopPage

    with django_db_blocker.unblock():
        trainer, _created = get_user_model().objects.get_or_create(
            username="capacitadora-e2e", defaults={"first_name": "Tamara", "is_staff": True}
        )
        trainer.set_password(E2E_PASSWORD)
        trainer.save()
        trainer.groups.add(Group.objects.get(name="trainer"))
        index = workshop_index_ensure()
        workshop = WorkshopPage(
            title="Taller en vivo e2e",
            slug=f"taller-en-vivo-e2e-{WorkshopPage.objects.count()}",
            kind=WorkshopKind.NEEDS,
            date=timezone.localdate() + timedelta(days=1),
            start_time=time(18, 0),
            end_time=time(20, 0),
            place_name="Sede vecinal",
            trainer=trainer,
        )
        index.add_child(instance=workshop)
        question = services.question_create(
            workshop=workshop,
            kind=QuestionKind.RANK,
            prompt="¿Qué problemas son los más importantes?",
            options=GROUPS,
            user=trainer,
        )
        services.question_set_status(workshop=workshop, question_id=question.pk, status="open", user=trainer)
    return {"workshop": workshop, "question": question, "trainer": trainer.username}


def _context_page(browser, live_url, **options):
    context = browser.new_context(base_url=live_url, locale="es-CL", **options)
    return context, context.new_page()


def test_a_participant_answers_from_a_phone_and_the_trainer_sees_it_live(browser, live_url, live_question):
    workshop, question = live_question["workshop"], live_question["question"]
    trainer_context, screen = _context_page(browser, live_url)
    phone_context, phone = _context_page(browser, live_url, viewport={"width": 412, "height": 915})
    try:
        screen_path = f"/talleres/{workshop.pk}/en-vivo/{question.pk}/pantalla/"
        screen.goto(f"/ingresar/?next={screen_path}")
        screen.get_by_label("Usuario").fill(live_question["trainer"])
        screen.get_by_label("Contraseña").fill(E2E_PASSWORD)
        screen.get_by_role("button", name="Ingresar").last.click()
        expect(screen).to_have_url(re.compile(re.escape(screen_path) + "$"))
        expect(screen.locator("#results-status")).to_have_text("En vivo")
        expect(screen.locator("#answer-count")).to_have_text("0")

        phone.goto("/talleres/participar/")
        phone.get_by_label("Código del taller").fill(workshop.live_code.lower())
        phone.get_by_role("button", name="Entrar").click()
        expect(phone.get_by_role("heading", name="¿Qué problemas son los más importantes?")).to_be_visible()
        phone.get_by_label("Lugar 1").select_option(label="Microtráfico")
        phone.get_by_label("Lugar 2").select_option(label="Luminarias")
        phone.get_by_role("button", name="Enviar respuesta").click()
        expect(phone.get_by_text("¡Gracias! Su respuesta quedó guardada.")).to_be_visible()

        # No reload: the screen's socket brings the new results.
        expect(screen.locator("#answer-count")).to_have_text("1")
        first = screen.locator("#results .result-item").first
        expect(first.locator(".result-label")).to_have_text("Microtráfico")
        expect(first.locator(".result-figure")).to_contain_text("5 puntos")
        expect(screen.locator("#results .result-item").nth(1).locator(".result-figure")).to_contain_text(
            "4 puntos"
        )
        expect(screen.get_by_text("conteo de Borda", exact=False)).to_be_visible()
    finally:
        trainer_context.close()
        phone_context.close()
