"""The deadline tick fires each warning and the escalation exactly once, even run twice at once or late."""

import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import DeadlineAlert, Incident, IncidentEventKind, IncidentStatus


def make_incident(actor, *, days_total=10):
    incident = services.incident_report(
        category=SubSectionFactory(responsible_actor=actor), description="Hoyo", address="Prat 1"
    )
    start = timezone.now() - timedelta(days=100)
    Incident.objects.filter(pk=incident.pk).update(
        created_at=start, due_at=start + timedelta(days=days_total)
    )
    incident.refresh_from_db()
    return incident


def levels(incident):
    return sorted(DeadlineAlert.objects.filter(incident=incident).values_list("level", flat=True))


@pytest.mark.django_db(transaction=True)
def test_thresholds_fire_once_each_as_time_passes(actor, agency_manager):
    incident = make_incident(actor)
    start = incident.created_at
    assert services.deadline_tick(now=start + timedelta(days=4)).fired == 0
    assert services.deadline_tick(now=start + timedelta(days=5)).fired == 1
    assert services.deadline_tick(now=start + timedelta(days=6)).fired == 0
    assert services.deadline_tick(now=start + timedelta(days=8)).fired == 1
    assert services.deadline_tick(now=start + timedelta(days=11)).fired == 1
    assert services.deadline_tick(now=start + timedelta(days=12)).fired == 0
    assert levels(incident) == ["half", "late_warning", "overdue"]
    assert incident.events.filter(kind=IncidentEventKind.ESCALATED, public=False).count() == 1
    assert [m.to for m in mail.outbox] == [[agency_manager.email]] * 3


@pytest.mark.django_db(transaction=True)
def test_after_downtime_one_tick_fires_every_missed_level_once(actor, agency_manager):
    incident = make_incident(actor)
    assert services.deadline_tick().fired == 3
    assert services.deadline_tick().fired == 0
    assert levels(incident) == ["half", "late_warning", "overdue"]


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_the_same_time_fire_each_level_once(actor, agency_manager):
    incidents = [make_incident(actor) for _ in range(5)]
    barrier = threading.Barrier(2)
    results = []

    def tick():
        try:
            barrier.wait()
            results.append(services.deadline_tick().fired)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 15
    for incident in incidents:
        assert levels(incident) == ["half", "late_warning", "overdue"]
    assert len(mail.outbox) == 15


@pytest.mark.django_db(transaction=True)
def test_closed_cases_get_no_alerts(actor, agency_manager):
    incident = make_incident(actor)
    services.incident_change_status(incident_id=incident.pk, status=IncidentStatus.CLOSED, by=agency_manager)
    assert services.deadline_tick().fired == 0


@pytest.mark.django_db
def test_command_reports_what_it_did(actor):
    make_incident(actor)
    out = io.StringIO()
    call_command("deadline_tick", stdout=out)
    assert "avisos enviados: 3" in out.getvalue()
