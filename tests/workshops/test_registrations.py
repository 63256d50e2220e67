"""Sign-ups: seats, the waiting list and its automatic promotion, refusals of bad input."""

import pytest
from django.core import mail

from cms_content.models import Neighbourhood
from tests.factories.cms_content import NeighbourhoodFactory
from tests.workshops.helpers import make_workshop, sign_up
from workshops import selectors, services
from workshops.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_people_beyond_capacity_go_to_the_waiting_list_in_order(workshop):
    first, second = sign_up(workshop, "Ana"), sign_up(workshop, "Berta")
    third, fourth = sign_up(workshop, "Carla"), sign_up(workshop, "Diego")
    assert [r.status for r in (first, second)] == [RegistrationStatus.CONFIRMED] * 2
    assert [r.status for r in (third, fourth)] == [RegistrationStatus.WAITING] * 2
    assert selectors.waiting_position(registration=third) == 1
    assert selectors.waiting_position(registration=fourth) == 2
    assert selectors.seats_left(workshop=workshop) == 0


def test_cancelling_a_seat_promotes_the_first_person_waiting_and_tells_them(
    workshop, django_capture_on_commit_callbacks
):
    first = sign_up(workshop, "Ana")
    sign_up(workshop, "Berta")
    waiting_first, waiting_second = sign_up(workshop, "Carla"), sign_up(workshop, "Diego")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled, promoted = services.registration_cancel(secret=first.secret)

    assert cancelled.status == RegistrationStatus.CANCELLED
    assert [r.pk for r in promoted] == [waiting_first.pk]
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == RegistrationStatus.CONFIRMED and waiting_first.promoted_at is not None
    assert waiting_second.status == RegistrationStatus.WAITING
    assert selectors.waiting_position(registration=waiting_second) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [waiting_first.email]
    assert waiting_first.code in mail.outbox[0].body


def test_cancelling_a_waiting_place_promotes_nobody(workshop):
    sign_up(workshop, "Ana")
    sign_up(workshop, "Berta")
    waiting = sign_up(workshop, "Carla")
    _row, promoted = services.registration_cancel(secret=waiting.secret)
    assert promoted == []
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2


def test_cancelling_twice_or_with_a_wrong_secret_is_refused_cleanly(workshop):
    registration = sign_up(workshop, "Ana")
    services.registration_cancel(secret=registration.secret)
    with pytest.raises(services.WorkshopError, match="ya estaba anulada"):
        services.registration_cancel(secret=registration.secret)
    with pytest.raises(services.WorkshopError, match="no es válido"):
        services.registration_cancel(secret="no-existe")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "email": "a@example.cl"}, "Falta el dato"),
        ({"name": "Ana"}, "teléfono o un correo"),
        ({"name": "<script>x</script>", "email": "a@example.cl"}, "caracteres no válidos"),
        ({"name": "Ana\x00", "email": "a@example.cl"}, "caracteres no válidos"),
        ({"name": "Ana", "phone": "llámame"}, "solo con números"),
        ({"name": "A" * 200, "email": "a@example.cl"}, "demasiado largo"),
    ],
)
def test_bad_sign_ups_are_refused_in_spanish_and_nothing_is_saved(workshop, fields, message):
    with pytest.raises(services.WorkshopError, match=message):
        services.registration_create(workshop_id=workshop.pk, **fields)
    assert not Registration.objects.exists()


def test_the_same_phone_or_email_cannot_take_two_places(workshop):
    sign_up(workshop, "Ana", phone="+56 9 1234 5678")
    with pytest.raises(services.WorkshopError, match="Ya hay una inscripción"):
        sign_up(workshop, "Ana otra vez", phone="912345678")
    sign_up(workshop, "Berta", email="berta@example.cl")
    with pytest.raises(services.WorkshopError, match="Ya hay una inscripción"):
        sign_up(workshop, "Berta", email="BERTA@example.cl")


def test_past_and_unpublished_workshops_take_no_sign_ups(trainer):
    past = make_workshop(days_ahead=-1, trainer=trainer)
    with pytest.raises(services.WorkshopError, match="ya se realizó"):
        sign_up(past, "Ana")
    draft = make_workshop(trainer=trainer, live=False)
    with pytest.raises(services.WorkshopError, match="no está publicado"):
        sign_up(draft, "Ana")
    with pytest.raises(services.WorkshopError, match="No encontramos"):
        services.registration_create(workshop_id=999999, name="Ana", email="a@example.cl")


def test_neighbourhood_and_organisation_are_kept(workshop):
    hood = NeighbourhoodFactory(name="Los Pinos")
    registration = sign_up(workshop, "Ana", neighbourhood=hood, organisation="Junta de Vecinos Los Pinos")
    registration.refresh_from_db()
    assert registration.neighbourhood == Neighbourhood.objects.get(name="Los Pinos")
    assert registration.organisation == "Junta de Vecinos Los Pinos"


def test_publishing_a_larger_capacity_promotes_the_people_waiting(
    workshop, django_capture_on_commit_callbacks
):
    sign_up(workshop, "Ana")
    sign_up(workshop, "Berta")
    first, second, third = sign_up(workshop, "Carla"), sign_up(workshop, "Diego"), sign_up(workshop, "Elena")
    workshop.capacity = 4
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    statuses = {r.name: r.status for r in Registration.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert statuses == {
        "Carla": RegistrationStatus.CONFIRMED,
        "Diego": RegistrationStatus.CONFIRMED,
        "Elena": RegistrationStatus.WAITING,
    }
