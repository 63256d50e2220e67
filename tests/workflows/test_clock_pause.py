"""The deadline pauses while staff wait for the citizen and resumes with the business time that was left.

Fiestas Patrias 2026: Friday 18 and Saturday 19 September are holidays (plus the weekend).
"""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.cms_content import CategoryWorkflowSettingsFactory, SubSectionFactory
from tests.workflows.task_list_helpers import report
from workflows import services
from workflows.clock import add_business_seconds, business_seconds_between, resumed_due_at
from workflows.deadlines import add_business_days
from workflows.models import Incident, IncidentEvent
from workflows.services.clock_pause import clock_pause_event, incident_ask_citizen, incident_citizen_answer

HOUR = 3600


def at(day, hour=10, month=9, year=2026):
    return timezone.make_aware(datetime(year, month, day, hour))


def test_business_time_skips_fiestas_patrias_and_the_weekend():
    # Thu 17 12:00 → Tue 22 12:00: Thu 12 h + Mon 24 h + Tue 12 h (Fri 18, Sat 19, Sun 20 do not count).
    assert business_seconds_between(at(17, 12), at(22, 12)) == 48 * HOUR
    assert business_seconds_between(at(18, 0), at(21, 0)) == 0
    assert add_business_seconds(at(17, 12), 13 * HOUR) == at(21, 1)


def test_pause_mid_deadline_resumes_with_what_was_left():
    due = add_business_days(at(14), 5)  # Mon 14 + 5 business days: 15, 16, 17, 21, 22 → Tue 22 10:00
    assert due == at(22)
    left = business_seconds_between(at(16), due)  # paused on Wed 16 10:00
    assert left == 72 * HOUR  # three business days
    # The citizen answers on Wed 23 10:00: 3 business days more → Mon 28 10:00 (weekend skipped).
    assert resumed_due_at(remaining_seconds=left, now=at(23), business=True) == at(28)


def test_resuming_on_a_holiday_counts_from_the_next_business_day():
    left = business_seconds_between(at(17), at(22))  # paused Thu 17 10:00: 14 + 24 + 10 h
    assert left == 48 * HOUR
    # Answer on Saturday 19 (holiday): the clock starts Monday 21 at 00:00 → two full business days.
    assert resumed_due_at(remaining_seconds=left, now=at(19, 9), business=True) == at(23, 0)


def test_hour_deadlines_pause_on_plain_time():
    assert resumed_due_at(remaining_seconds=2 * HOUR, now=at(19, 9), business=False) == at(19, 11)


@pytest.mark.django_db
def test_asking_the_citizen_pauses_and_their_answer_resumes_the_deadline(actor, agency_manager, citizen):
    incident = report(actor, by=citizen)
    Incident.objects.filter(pk=incident.pk).update(due_at=at(22))
    incident_ask_citizen(incident_id=incident.pk, by=agency_manager, question="¿En qué esquina?", now=at(16))
    incident.refresh_from_db()
    assert incident.due_at is None and clock_pause_event(incident=incident) is not None
    question = IncidentEvent.objects.filter(incident=incident, data__asked_information=True).get()
    assert question.public and question.note == "¿En qué esquina?"
    # While paused, the deadline tick has nothing to warn about.
    assert services.deadline_tick(now=at(30)).fired == 0
    incident_citizen_answer(incident_id=incident.pk, answer="Prat con Baquedano", by=citizen, now=at(23))
    incident.refresh_from_db()
    assert incident.due_at == at(28)
    assert clock_pause_event(incident=incident) is None
    answer = IncidentEvent.objects.filter(incident=incident, data__citizen_answer=True).get()
    assert not answer.public  # may carry personal details


@pytest.mark.django_db
def test_hours_deadline_category_pauses_in_hours(actor, agency_manager):
    category = SubSectionFactory(responsible_actor=actor)
    CategoryWorkflowSettingsFactory(
        category=category, resolution_deadline=4, resolution_deadline_unit="hours"
    )
    incident = report(actor, category=category)
    Incident.objects.filter(pk=incident.pk).update(due_at=at(18, 12))
    incident_ask_citizen(incident_id=incident.pk, by=agency_manager, question="¿Sigue ahí?", now=at(18, 10))
    incident_citizen_answer(incident_id=incident.pk, answer="Sí", now=at(19, 9))
    incident.refresh_from_db()
    assert incident.due_at == at(19, 11)  # holidays do not matter for hours


@pytest.mark.django_db
def test_bad_requests_are_refused_in_spanish_and_change_nothing(actor, agency_manager):
    incident = report(actor)
    with pytest.raises(ValidationError):
        incident_ask_citizen(incident_id=incident.pk, by=agency_manager, question="  ")
    with pytest.raises(ValidationError, match="no espera"):
        incident_citizen_answer(incident_id=incident.pk, answer="hola")
    incident_ask_citizen(incident_id=incident.pk, by=agency_manager, question="¿Dónde?")
    with pytest.raises(ValidationError, match="Ya se pidió"):
        incident_ask_citizen(incident_id=incident.pk, by=agency_manager, question="¿Otra?")
    assert IncidentEvent.objects.filter(incident=incident, data__has_key="clock").count() == 1
