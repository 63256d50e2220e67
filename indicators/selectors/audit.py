"""The auditor's reads: every incident with its record, late and contested cases, accountability."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cms_content.models import Actor
from indicators.selectors.aggregates import resolution_by_actor
from indicators.selectors.common import Filters, Window
from workflows.models import (
    OPEN_STATUSES,
    DeadlineAlert,
    Incident,
    IncidentEvent,
    IncidentPhoto,
    IncidentStatus,
)
from workflows.selectors import sensitive_read_log


def late_q(*, now=None) -> Q:
    """Cases that missed their legal deadline: resolved after it, or still open past it."""
    now = now or timezone.now()
    return Q(due_at__isnull=False) & (
        Q(resolved_at__gt=F("due_at")) | Q(resolved_at__isnull=True, status__in=OPEN_STATUSES, due_at__lt=now)
    )


def audit_incident_list(
    *,
    user,
    folio: str = "",
    actor_id: int | None = None,
    status: str = "",
    late: bool = False,
    contested: bool = False,
) -> QuerySet[Incident]:
    """Every incident (auditors read all), newest first, with the filters of the audit list."""
    if not user_can_audit(user=user):
        return Incident.objects.none()
    queryset = Incident.objects.select_related(
        "category", "category__parent", "responsible_actor", "neighbourhood"
    )
    if folio:
        queryset = queryset.filter(folio__icontains=folio.strip())
    if actor_id:
        queryset = queryset.filter(responsible_actor_id=actor_id)
    if status:
        queryset = queryset.filter(status=status)
    if late:
        queryset = queryset.filter(late_q())
    if contested:
        queryset = queryset.filter(contested_count__gt=0)
    return queryset.order_by("-created_at", "-pk")


def user_can_audit(*, user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("workflows.audit_incident"))


@dataclass
class AuditRecord:
    incident: Incident
    events: list[IncidentEvent] = field(default_factory=list)
    photos: list[IncidentPhoto] = field(default_factory=list)
    alerts: list[DeadlineAlert] = field(default_factory=list)
    late: bool = False


def audit_incident_detail(*, user, folio: str) -> AuditRecord | None:
    """The full record of one case for an auditor; reading a sensitive one is logged."""
    if not user_can_audit(user=user):
        return None
    incident = (
        Incident.objects.select_related("category", "category__parent", "responsible_actor", "neighbourhood")
        .filter(folio=folio)
        .first()
    )
    if incident is None:
        return None
    if not incident.category.is_publicly_visible:
        sensitive_read_log(incident=incident, user=user, via="audit", what="audit_detail")
    return AuditRecord(
        incident=incident,
        events=list(incident.events.select_related("by").order_by("created_at", "id")),
        photos=list(incident.photos.order_by("created_at", "id")),
        alerts=list(incident.deadline_alerts.order_by("created_at")),
        late=Incident.objects.filter(pk=incident.pk).filter(late_q()).exists(),
    )


def accountability_report(*, actor: Actor, year: int) -> dict:
    """The annual accountability figures of one actor: what came in, what was done, how fast, by month."""
    window = Window(timezone.datetime(year, 1, 1).date(), timezone.datetime(year, 12, 31).date())
    filters = Filters(window=window, public=False, actor_ids=(actor.pk,))
    incidents = Incident.objects.order_by().filter(
        responsible_actor=actor, created_at__gte=window.start, created_at__lt=window.end
    )
    totals = incidents.aggregate(
        received=Count("*"),
        resolved=Count("created_at", filter=Q(resolved_at__isnull=False)),
        rejected=Count("created_at", filter=Q(status=IncidentStatus.REJECTED)),
        open=Count("created_at", filter=Q(status__in=OPEN_STATUSES)),
        contested=Count("created_at", filter=Q(contested_count__gt=0)),
        late=Count("created_at", filter=late_q()),
    )
    totals["escalated"] = DeadlineAlert.objects.filter(
        incident__in=incidents, level=DeadlineAlert.Level.OVERDUE
    ).count()
    speed = next(iter(resolution_by_actor(filters)), None)
    from django.db.models.functions import TruncMonth

    months = [
        {
            "month": timezone.localtime(row["month"]).strftime("%Y-%m")
            if hasattr(row["month"], "hour")
            else row["month"].strftime("%Y-%m"),
            "received": row["received"],
            "resolved": row["resolved"],
        }
        for row in incidents.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(received=Count("*"), resolved=Count("created_at", filter=Q(resolved_at__isnull=False)))
        .order_by("month")
    ]
    by_category = [
        {
            "category": " › ".join(n for n in (row["category__parent__name"], row["category__name"]) if n),
            "n": row["n"],
        }
        for row in incidents.values("category__parent__name", "category__name")
        .annotate(n=Count("*"))
        .order_by("-n", "category__name")
    ]
    return {
        "actor": actor,
        "year": year,
        "totals": totals,
        "speed": speed,
        "months": months,
        "by_category": by_category,
    }
