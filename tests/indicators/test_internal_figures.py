"""Internal figures against hand-computed values: steps in time, alerts, escalations, contests, workload."""

from datetime import timedelta

import pytest

from indicators.selectors.common import Filters
from indicators.selectors.internal import (
    contested_by_actor,
    deadline_alerts,
    escalations_by_actor,
    step_compliance,
    workload_by_staff,
)
from workflows.models import DeadlineAlert, IncidentEvent, IncidentEventKind

pytestmark = pytest.mark.django_db


def _event(incident, kind, *, by=None, after_hours=1):
    event = IncidentEvent.objects.create(incident=incident, kind=kind, by=by)
    IncidentEvent.objects.filter(pk=event.pk).update(
        created_at=incident.created_at + timedelta(hours=after_hours)
    )


def test_steps_alerts_escalations_contests_and_workload(world, window, agency_manager, agency_staff):
    first = world.incident(world.potholes, contested_count=1)
    second = world.incident(world.lights)
    for incident in (first, second):
        incident.due_at = incident.created_at + timedelta(hours=48)
        incident.save(update_fields=["due_at"])
    _event(first, IncidentEventKind.ACCEPTED, by=agency_manager, after_hours=2)
    _event(second, IncidentEventKind.ACCEPTED, by=agency_manager, after_hours=3)
    _event(first, IncidentEventKind.RESOLVED, by=agency_staff, after_hours=24)
    _event(second, IncidentEventKind.RESOLVED, by=agency_staff, after_hours=72)  # late
    _event(first, IncidentEventKind.REPORTED)  # not a staff action
    DeadlineAlert.objects.create(incident=second, level=DeadlineAlert.Level.HALF)
    DeadlineAlert.objects.create(incident=second, level=DeadlineAlert.Level.OVERDUE)
    filters = Filters(window=window, public=False)

    steps = {row["step"]: row for row in step_compliance(filters)}
    assert (steps["Reporte validado"]["n"], steps["Reporte validado"]["in_time"]) == (2, 2)
    assert (steps["Solución registrada"]["n"], steps["Solución registrada"]["in_time_pct"]) == (2, 50.0)
    assert steps["Inspección en terreno"]["n"] == 0
    assert [row["n"] for row in deadline_alerts(filters)] == [1, 0, 1]
    assert escalations_by_actor(filters) == [{"actor": "Alumbrado", "n": 1}]
    assert contested_by_actor(filters) == [{"actor": "Aseo Municipal", "n": 1}]
    workload = {row["name"]: row for row in workload_by_staff(filters)}
    manager = workload[agency_manager.get_full_name()]
    staff = workload[agency_staff.get_full_name()]
    assert (manager["actions"], manager["triaged"], manager["resolved"]) == (2, 2, 0)
    assert (staff["actions"], staff["resolved"]) == (2, 2)

    only_b = Filters(window=window, public=False, actor_ids=(world.actor_b.pk,))
    assert contested_by_actor(only_b) == []
    assert workload_by_staff(only_b)[0]["actions"] == 1
