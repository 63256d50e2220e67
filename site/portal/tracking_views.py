"""Following a report: the public tracking page per folio, the folio lookup, and "my reports"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows import services
from workflows.models import OPEN_STATUSES, Incident
from workflows.selectors import incident_for_tracking
from workflows.services import confirmation_window_open
from workflows.services.clock_pause import clock_pause_event, incident_citizen_answer

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
    is_reporter = _may_answer(request, tracked)
    may_answer = is_reporter and confirmation_window_open(incident)
    # Staff asked the reporter something: only the reporter sees the answer box (the clock waits for it).
    pending_question = clock_pause_event(incident=incident) if is_reporter else None
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
            "may_answer": may_answer,
            "pending_question": pending_question,
        },
    )


def _may_answer(request, tracked) -> bool:
    """Only the person who reported (signed in, or holding the secret link) confirms or contests."""
    user = request.user
    return tracked.via_secret or (user.is_authenticated and tracked.incident.reporter_id == user.pk)


@require_POST
def incident_answer(request, folio):
    """The reporter confirms the solution or contests it (with a reason); errors come back as messages."""
    secret = request.POST.get("s", "")[:64] or None
    tracked = incident_for_tracking(folio=folio[:FOLIO_MAX], user=request.user, secret=secret)
    if tracked is None or not _may_answer(request, tracked):
        raise Http404
    by = request.user if request.user.is_authenticated else None
    try:
        if request.POST.get("answer") == "confirm":
            services.incident_confirm(incident_id=tracked.incident.pk, by=by)
            messages.success(request, _("Gracias: cerramos el caso."))
        elif request.POST.get("answer") == "contest":
            services.incident_contest(
                incident_id=tracked.incident.pk, reason=request.POST.get("reason", "")[:2000], by=by
            )
            messages.success(request, _("Gracias: reabrimos el caso para que lo revisen de nuevo."))
        else:
            messages.error(request, _("Elija si quedó resuelto o si sigue el problema."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    url = reverse("portal:incident_detail", args=[tracked.incident.folio])
    return redirect(f"{url}?s={secret}" if tracked.via_secret else url)


@require_POST
def incident_information(request, folio):
    """The reporter answers the staff's question; the case's deadline starts again where it stopped."""
    secret = request.POST.get("s", "")[:64] or None
    tracked = incident_for_tracking(folio=folio[:FOLIO_MAX], user=request.user, secret=secret)
    if tracked is None or not _may_answer(request, tracked):
        raise Http404
    by = request.user if request.user.is_authenticated else None
    try:
        incident_citizen_answer(
            incident_id=tracked.incident.pk, answer=request.POST.get("information", "")[:2000], by=by
        )
        messages.success(request, _("Gracias: enviamos su respuesta al equipo que revisa su reporte."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    url = reverse("portal:incident_detail", args=[tracked.incident.folio])
    return redirect(f"{url}?s={secret}" if tracked.via_secret else url)


@login_required
@require_GET
def my_reports(request):
    """Reports the signed-in citizen made on the web (anonymous ones are not linked to them)."""
    incidents = Incident.objects.filter(reporter=request.user).select_related("category", "category__parent")
    return render(
        request, "portal/tracking/my_reports.html", {"incidents": incidents.order_by("-created_at")}
    )
