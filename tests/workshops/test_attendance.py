"""Attendance: check-in by code (the door screen and its QR link), from the trainer's list, walk-ins."""

import csv
import io

import pytest
from django.urls import reverse

from tests.workshops.helpers import sign_up
from workshops import services
from workshops.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_check_in_by_code_ignores_spaces_and_case_and_happens_once(workshop, trainer):
    registration = sign_up(workshop, "Ana")
    typed = " ".join(registration.code.lower())
    row, new = services.check_in_by_code(workshop_id=workshop.pk, code=typed, user=trainer)
    assert new and row.pk == registration.pk and row.checked_in_by == trainer
    _row, again = services.check_in_by_code(workshop_id=workshop.pk, code=registration.code, user=trainer)
    assert not again


def test_a_code_of_another_workshop_or_a_cancelled_one_is_refused(workshop, trainer):
    from tests.workshops.helpers import make_workshop

    other = make_workshop(trainer=trainer)
    elsewhere = sign_up(other, "Berta")
    with pytest.raises(services.WorkshopError, match="No hay una inscripción"):
        services.check_in_by_code(workshop_id=workshop.pk, code=elsewhere.code, user=trainer)
    cancelled = sign_up(workshop, "Carla")
    services.registration_cancel(secret=cancelled.secret)
    with pytest.raises(services.WorkshopError, match="anulada"):
        services.check_in_by_code(workshop_id=workshop.pk, code=cancelled.code, user=trainer)
    with pytest.raises(services.WorkshopError, match="Escriba el código"):
        services.check_in_by_code(workshop_id=workshop.pk, code="  ", user=trainer)


def test_someone_waiting_who_comes_is_let_in_and_cannot_then_cancel(workshop, trainer):
    sign_up(workshop, "Ana")
    sign_up(workshop, "Berta")
    waiting = sign_up(workshop, "Carla")
    row, new = services.check_in_registration(
        workshop_id=workshop.pk, registration_id=waiting.pk, user=trainer
    )
    assert new and row.status == RegistrationStatus.CONFIRMED
    with pytest.raises(services.WorkshopError, match="no se puede anular"):
        services.registration_cancel(secret=waiting.secret)


def test_walk_ins_are_confirmed_and_checked_in_even_when_full(workshop, trainer):
    sign_up(workshop, "Ana")
    sign_up(workshop, "Berta")
    walk_in = services.walk_in_add(
        workshop_id=workshop.pk, name="Don Luis", organisation="Club de adulto mayor", user=trainer
    )
    assert walk_in.walk_in and walk_in.status == RegistrationStatus.CONFIRMED and walk_in.checked_in_at


def test_the_door_screen_checks_in_by_code_and_the_qr_link_prefills_it(client, workshop, trainer):
    registration = sign_up(workshop, "Ana")
    client.force_login(trainer)
    url = reverse("workshops:door", args=[workshop.pk])
    page = client.get(url, {"codigo": registration.code})
    assert registration.code in page.content.decode()
    answer = client.post(url, {"code": registration.code})
    assert answer.status_code == 200
    assert "Bienvenida/o, Ana." in answer.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    wrong = client.post(url, {"code": "ZZZZZZZZ"})
    assert wrong.status_code == 200 and "No hay una inscripción con ese código" in wrong.content.decode()


def test_the_trainer_checks_in_from_the_list_and_adds_walk_ins(client, workshop, trainer):
    registration = sign_up(workshop, "Ana")
    client.force_login(trainer)
    response = client.post(
        reverse("workshops:check_in", args=[workshop.pk]), {"registration": registration.pk}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    client.post(
        reverse("workshops:walk_in", args=[workshop.pk]), {"name": "Don Luis", "organisation": "JJVV 5"}
    )
    assert Registration.objects.get(name="Don Luis").walk_in
    bad = client.post(reverse("workshops:check_in", args=[workshop.pk]), {"registration": "abc"}, follow=True)
    assert "no es de este taller" in bad.content.decode()
    manage = client.get(reverse("workshops:manage", args=[workshop.pk]))
    assert manage.status_code == 200 and "Don Luis" in manage.content.decode()


def test_trainer_screens_need_the_workshops_trainer_or_the_trainer_role(
    client, workshop, other_trainer, citizen
):
    url = reverse("workshops:manage", args=[workshop.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(other_trainer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("workshops:registrations_csv", args=[workshop.pk])).status_code == 403
    workshop.trainer = other_trainer
    workshop.save()
    assert client.get(url).status_code == 200


def test_registrations_csv_lists_everyone_and_defuses_formulas(client, workshop, trainer):
    sign_up(workshop, '=HYPERLINK("http://x")', email="x@example.cl", organisation="Junta de Vecinos Centro")
    client.force_login(trainer)
    response = client.get(reverse("workshops:registrations_csv", args=[workshop.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["código", "nombre", "teléfono"]
    assert rows[1][1].startswith("'=")
    assert rows[1][5] == "Junta de Vecinos Centro"
