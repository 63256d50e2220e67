"""Sub-tasks escalate to their own actor's managers: unacknowledged in time, then overdue — each once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.workflows.flow_kinds_helpers import emergency_category, member, report
from workflows import services
from workflows.coordination_models import IncidentSubtask, SubtaskStatus
from workflows.models import IncidentEventKind, StaffNotification


def dispatched_late():
    """An emergency dispatched to two actors, 20 minutes ago, whose acknowledgement window was 10 minutes."""
    category, responsible, helpers = emergency_category(supporting=1, acknowledgement_minutes=10)
    boss_of_responsible = member(responsible, "agency_manager")
    boss_of_helper = member(helpers[0], "agency_manager")
    incident = report(category)
    past = timezone.now() - timedelta(minutes=20)
    IncidentSubtask.objects.filter(incident=incident).update(acknowledge_due_at=past + timedelta(minutes=10))
    return incident, (responsible, boss_of_responsible), (helpers[0], boss_of_helper)


def escalations(incident):
    return incident.events.filter(kind=IncidentEventKind.ESCALATED, data__has_key="subtask_id")


@pytest.mark.django_db(transaction=True)
def test_unacknowledged_dispatch_escalates_once_to_that_actors_managers():
    incident, (responsible, boss_r), (helper, boss_h) = dispatched_late()
    IncidentSubtask.objects.filter(incident=incident, actor=responsible).update(
        status=SubtaskStatus.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )
    assert services.deadline_tick().fired == 1
    assert services.deadline_tick().fired == 0
    (event,) = escalations(incident)
    assert (event.data["level"], event.data["actor_id"], event.public) == ("acknowledge", helper.pk, False)
    notified = StaffNotification.objects.filter(incident=incident, kind=StaffNotification.Kind.ESCALATED)
    assert [n.user for n in notified] == [boss_h]
    assert [m.to for m in mail.outbox] == [[boss_h.email]]
    assert "Apoyo 0" in notified.get().text


@pytest.mark.django_db(transaction=True)
def test_an_overdue_subtask_escalates_once_more_and_done_ones_never():
    incident, (responsible, _boss_r), (helper, _boss_h) = dispatched_late()
    IncidentSubtask.objects.filter(incident=incident, actor=responsible).update(
        status=SubtaskStatus.DONE, due_at=timezone.now() - timedelta(hours=1)
    )
    IncidentSubtask.objects.filter(incident=incident, actor=helper).update(
        status=SubtaskStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        due_at=timezone.now() - timedelta(hours=1),
    )
    assert services.deadline_tick().fired == 1
    assert services.deadline_tick().fired == 0
    assert [e.data["level"] for e in escalations(incident)] == ["overdue"]


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_escalate_each_subtask_once():
    incidents = [dispatched_late()[0] for _ in range(3)]
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
    assert sum(results) == 6  # 3 incidents × 2 unacknowledged dispatches
    for incident in incidents:
        assert escalations(incident).count() == 2
