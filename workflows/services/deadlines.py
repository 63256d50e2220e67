"""The deadline tick: warnings at 50 % and 80 % of the legal deadline, escalation at 100 %.

Run every minute by `manage.py deadline_tick` (systemd timer). Each level fires exactly once per incident:
the DeadlineAlert row is inserted first (unique per incident and level) inside a savepoint, and only the
tick that inserted it records the event and queues the e-mails (after commit).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflows.coordination_models import OPEN_SUBTASK_STATUSES, IncidentSubtask, SubtaskStatus
from workflows.models import OPEN_STATUSES, DeadlineAlert, Incident, IncidentEvent, IncidentEventKind
from workflows.services.staff_notifications import staff_notify_deadline, staff_notify_subtask_escalation
from workflows.tasks import send_deadline_email

THRESHOLDS = [
    (0.5, DeadlineAlert.Level.HALF),
    (0.8, DeadlineAlert.Level.LATE_WARNING),
    (1.0, DeadlineAlert.Level.OVERDUE),
]


@dataclass
class TickResult:
    checked: int = 0
    fired: int = 0


def _elapsed_share(incident: Incident, now) -> float:
    total = (incident.due_at - incident.created_at).total_seconds()
    if total <= 0:
        return 1.0
    return (now - incident.created_at).total_seconds() / total


def _fire(incident: Incident, level: str) -> bool:
    """Insert the alert; False when another tick already fired this level (nothing else happens)."""
    try:
        with transaction.atomic():
            DeadlineAlert.objects.create(incident=incident, level=level)
    except IntegrityError:
        return False
    escalated = level == DeadlineAlert.Level.OVERDUE
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEventKind.ESCALATED if escalated else IncidentEventKind.DEADLINE_WARNING,
        public=False,
        data={"level": level, "due_at": incident.due_at.isoformat()},
    )
    transaction.on_commit(lambda: send_deadline_email.enqueue(incident.pk, level))
    staff_notify_deadline(incident_id=incident.pk, level=level)  # in-app, for the managers
    return True


# A sub-task (emergency dispatch, protection referral, support asked by a manager) escalates to its own
# actor's managers when nobody acknowledged it in time, and again when its own deadline passes.
SUBTASK_LEVELS = {
    "acknowledge": ("acknowledge_due_at", "acknowledge_escalated_at", [SubtaskStatus.OPEN]),
    "overdue": ("due_at", "overdue_escalated_at", OPEN_SUBTASK_STATUSES),
}


def _subtask_escalations(now) -> int:
    fired = 0
    for level, (due_field, escalated_field, statuses) in SUBTASK_LEVELS.items():
        late = IncidentSubtask.objects.filter(
            status__in=statuses, **{f"{due_field}__lte": now, f"{escalated_field}__isnull": True}
        )
        for subtask_id, incident_id, actor_id in late.values_list("pk", "incident_id", "actor_id"):
            with transaction.atomic():
                # The UPDATE re-checks its WHERE under the row lock: a concurrent tick updates 0 rows.
                claimed = IncidentSubtask.objects.filter(
                    pk=subtask_id, status__in=statuses, **{f"{escalated_field}__isnull": True}
                ).update(**{escalated_field: now})
                if not claimed:
                    continue
                IncidentEvent.objects.create(
                    incident_id=incident_id,
                    kind=IncidentEventKind.ESCALATED,
                    public=False,
                    data={"subtask_id": subtask_id, "actor_id": actor_id, "level": level},
                )
                staff_notify_subtask_escalation(subtask_id=subtask_id, level=level)
                fired += 1
    return fired


def deadline_tick(*, now=None) -> TickResult:
    """Fire every threshold that open incidents have crossed and not yet fired (also after downtime)."""
    now = now or timezone.now()
    result = TickResult()
    candidates = Incident.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False).only(
        "id", "created_at", "due_at", "responsible_actor_id", "folio"
    )
    for incident in candidates.iterator():
        result.checked += 1
        share = _elapsed_share(incident, now)
        for threshold, level in THRESHOLDS:
            if share >= threshold:
                with transaction.atomic():
                    result.fired += _fire(incident, level)
    result.fired += _subtask_escalations(now)
    return result
