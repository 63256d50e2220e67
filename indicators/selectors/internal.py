"""Figures of the internal dashboards (managers, authority, auditors): steps, escalations, workload."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cms_content.models import Actor
from indicators.selectors.common import Filters, incidents_in_window
from workflows.models import DeadlineAlert, IncidentEvent, IncidentEventKind

# The steps of a case whose moment the history records; compliance = done before the legal deadline.
STEP_KINDS = [
    IncidentEventKind.ACCEPTED,
    IncidentEventKind.INSPECTED,
    IncidentEventKind.AUTHORITY_DECIDED,
    IncidentEventKind.RESOLVED,
]
OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def step_compliance(filters: Filters) -> list[dict]:
    """Per step: how many cases of the window reached it, and how many before their deadline."""
    incident_ids = incidents_in_window(filters).values("pk")
    rows = (
        IncidentEvent.objects.order_by()
        .filter(incident_id__in=incident_ids, kind__in=STEP_KINDS)
        .values("kind")
        .annotate(
            n=Count("incident_id", distinct=True),
            in_time=Count(
                "incident_id",
                distinct=True,
                filter=Q(incident__due_at__isnull=False, created_at__lte=F("incident__due_at")),
            ),
        )
    )
    by_kind = {row["kind"]: row for row in rows}
    labels = dict(IncidentEventKind.choices)
    result = []
    for kind in STEP_KINDS:
        row = by_kind.get(kind, {"n": 0, "in_time": 0})
        result.append(
            {
                "step": str(labels[kind]),
                "n": row["n"],
                "in_time": row["in_time"],
                "in_time_pct": round(100 * row["in_time"] / row["n"], 1) if row["n"] else None,
            }
        )
    return result


def deadline_alerts(filters: Filters) -> list[dict]:
    """Warnings (50 %, 80 %) and escalations (100 %) fired for cases of the window, per level."""
    rows = dict(
        DeadlineAlert.objects.order_by()
        .filter(incident_id__in=incidents_in_window(filters).values("pk"))
        .values_list("level")
        .annotate(n=Count("*"))
    )
    return [{"level": str(label), "n": rows.get(level, 0)} for level, label in DeadlineAlert.Level.choices]


def escalations_by_actor(filters: Filters) -> list[dict]:
    rows = (
        DeadlineAlert.objects.order_by()
        .filter(level=DeadlineAlert.Level.OVERDUE, incident_id__in=incidents_in_window(filters).values("pk"))
        .values("incident__responsible_actor_id")
        .annotate(n=Count("*"))
    )
    names = dict(Actor.objects.values_list("pk", "name"))
    return sorted(
        ({"actor": names.get(row["incident__responsible_actor_id"], "—"), "n": row["n"]} for row in rows),
        key=lambda row: (-row["n"], row["actor"]),
    )


def contested_by_actor(filters: Filters) -> list[dict]:
    """Resolutions the reporter contested (the problem remained), per actor."""
    rows = (
        incidents_in_window(filters)
        .filter(contested_count__gt=0)
        .values("responsible_actor_id")
        .annotate(cases=Count("*"))
    )
    names = dict(Actor.objects.values_list("pk", "name"))
    return sorted(
        ({"actor": names.get(row["responsible_actor_id"], "—"), "n": row["cases"]} for row in rows),
        key=lambda row: (-row["n"], row["actor"]),
    )


def workload_by_staff(filters: Filters) -> list[dict]:
    """Per staff member: actions recorded on cases of the window, and open tasks they hold now."""
    incident_ids = incidents_in_window(filters).values("pk")
    actions = {
        row["by_id"]: row
        for row in IncidentEvent.objects.order_by()
        .filter(incident_id__in=incident_ids, by__isnull=False)
        .exclude(
            kind__in=[
                IncidentEventKind.REPORTED,
                IncidentEventKind.SUPPORTED,
                IncidentEventKind.CONTESTED,
                IncidentEventKind.CONFIRMED,
            ]
        )
        .values("by_id")
        .annotate(
            actions=Count("*"),
            resolved=Count("created_at", filter=Q(kind=IncidentEventKind.RESOLVED)),
            triaged=Count(
                "created_at",
                filter=Q(
                    kind__in=[
                        IncidentEventKind.ACCEPTED,
                        IncidentEventKind.HANDED_OVER,
                        IncidentEventKind.REJECTED,
                        IncidentEventKind.RECATEGORISED,
                        IncidentEventKind.MERGED,
                    ]
                ),
            ),
        )
    }
    open_tasks = dict(
        Task.objects.order_by()
        .filter(
            status__in=OPEN_TASK_STATUSES, owner__isnull=False, process__artifact_object_id__in=incident_ids
        )
        .values_list("owner_id")
        .annotate(n=Count("*"))
    )
    user_ids = set(actions) | set(open_tasks)
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)}
    result = []
    for user_id in user_ids:
        user = users.get(user_id)
        row = actions.get(user_id, {})
        result.append(
            {
                "name": (user.get_full_name() or user.username) if user else "—",
                "actions": row.get("actions", 0),
                "triaged": row.get("triaged", 0),
                "resolved": row.get("resolved", 0),
                "open_tasks": open_tasks.get(user_id, 0),
            }
        )
    return sorted(result, key=lambda row: (-row["open_tasks"], -row["actions"], row["name"]))
