"""Concurrent sign-ups never overbook: real threads, each with its own PostgreSQL connection."""

import threading

import pytest
from django.db import connection, connections

from tests.workshops.helpers import make_workshop
from workshops import services
from workshops.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 12
CAPACITY = 5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writes)"
)
def test_many_people_signing_up_at_once_fill_exactly_the_seats_and_the_rest_wait(trainer):
    workshop = make_workshop(capacity=CAPACITY, trainer=trainer)
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def sign_up(n):
        try:
            barrier.wait(timeout=30)
            services.registration_create(
                workshop_id=workshop.pk, name=f"Persona {n}", email=f"p{n}@example.cl"
            )
        except Exception as error:  # reported below; a thread's exception would be lost otherwise
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert len(statuses) == PEOPLE
    assert statuses.count(RegistrationStatus.CONFIRMED) == CAPACITY
    assert statuses.count(RegistrationStatus.WAITING) == PEOPLE - CAPACITY


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writes)"
)
def test_cancellations_racing_with_sign_ups_never_overbook(trainer):
    workshop = make_workshop(capacity=3, trainer=trainer)
    seated = [
        services.registration_create(workshop_id=workshop.pk, name=f"Sentada {n}", email=f"s{n}@example.cl")
        for n in range(3)
    ]
    barrier = threading.Barrier(6)
    errors = []

    def cancel(registration):
        try:
            barrier.wait(timeout=30)
            services.registration_cancel(secret=registration.secret)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def sign_up(n):
        try:
            barrier.wait(timeout=30)
            services.registration_create(workshop_id=workshop.pk, name=f"Nueva {n}", email=f"n{n}@example.cl")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in seated]
    threads += [threading.Thread(target=sign_up, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    confirmed = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.CONFIRMED).count()
    waiting = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.WAITING).count()
    # Every newcomer ends up seated: either at once or promoted when a seat was freed.
    assert (confirmed, waiting) == (3, 0)
