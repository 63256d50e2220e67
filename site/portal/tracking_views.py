"""Following a report: the public tracking page per folio, the folio lookup, and "my reports"."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workflows.models import OPEN_STATUSES, Incident
from workflows.selectors import incident_for_tracking

FOLIO_MAX = 20
DUE_SOON_SECONDS = 2 * 24 * 3600


def deadline_light(incident: Incident) -> tuple[str, str]:
    """A traffic light for the due date: (css class, words for screen readers and colour-blind readers)."""
    if incident.status not in OPEN_STATUSES:
        return "done", _("Caso terminado")
    if incident.due_at is None:
        return "none", _("Sin plazo")
    remaining = (incident.due_at - timezone.now()).total_seconds()
    if remaining < 0:
        return "late", _("Plazo vencido")
    if remaining < DUE_SOON_SECONDS:
        return "soon", _("Plazo por vencer")
    return "ok", _("Dentro del plazo")


@require_GET
def tracking_lookup(request):
    """ "¿Cómo va mi reporte?": type a folio, go to its page."""
    folio = request.GET.get("folio", "")[:FOLIO_MAX].strip().upper()
    if folio:
        return redirect("portal:incident_detail", folio=folio)
    return render(request, "portal/tracking/lookup.html")


@require_GET
def incident_detail(request, folio):
    """The public page of one report: status, public timeline, actor, deadline; never who reported it."""
    secret = request.GET.get("s", "")[:64] or None
    tracked = incident_for_tracking(folio=folio[:FOLIO_MAX], user=request.user, secret=secret)
    if tracked is None:
        raise Http404
    incident = tracked.incident
    light_class, light_text = deadline_light(incident)
    return render(
        request,
        "portal/tracking/detail.html",
        {
            "incident": incident,
            "events": tracked.events,
            "photos": tracked.photos,
            "secret": secret if tracked.via_secret else "",
            "light_class": light_class,
            "light_text": light_text,
            "is_open": incident.status in OPEN_STATUSES,
        },
    )


@login_required
@require_GET
def my_reports(request):
    """Reports the signed-in citizen made on the web (anonymous ones are not linked to them)."""
    incidents = Incident.objects.filter(reporter=request.user).select_related("category", "category__parent")
    return render(
        request, "portal/tracking/my_reports.html", {"incidents": incidents.order_by("-created_at")}
    )
