"""Staff pages outside viewflow's task UI: the task map, the acta PDF, the in-app notifications."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from workflows.acta import acta_for_user, acta_pdf
from workflows.models import StaffNotification
from workflows.permissions import user_actor_ids
from workflows.services.staff_notifications import staff_notifications_mark_read
from workflows.task_selectors import task_map_points


@never_cache
@login_required
@require_GET
def task_map(request):
    """Pins of the open tasks of the user's actors (sensitive ones only for staff allowed to see them)."""
    if not user_actor_ids(request.user) and not request.user.is_superuser:
        raise PermissionDenied
    points = task_map_points(user=request.user)
    return render(request, "workflows/task_map.html", {"map_points": points, "without_place": 0})


@never_cache
@login_required
@require_GET
def incident_acta_pdf(request, folio):
    """The case record as a PDF, for staff of the actors working the case and auditors; 404 otherwise."""
    acta = acta_for_user(folio=folio[:20], user=request.user)
    if acta is None:
        raise Http404
    response = HttpResponse(acta_pdf(acta=acta, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="acta-{acta.incident.folio}.pdf"'
    return response


@never_cache
@login_required
@require_GET
def notification_list(request):
    notifications = StaffNotification.objects.filter(user=request.user).select_related("incident")[:100]
    unread = StaffNotification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "workflows/notifications.html", {"notifications": notifications, "unread": unread})


@login_required
@require_POST
def notification_mark_read(request):
    """Mark one notification (`id`) or all as read; only the user's own."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    staff_notifications_mark_read(user=request.user, notification_ids=ids)
    return redirect("workflows_staff:notifications")
