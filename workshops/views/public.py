"""Public pages of workshops: sign-up, the confirmation with its code and QR, cancelling, calendars."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.qr import qr_svg
from workshops import ical, selectors, services
from workshops.forms import RegistrationForm
from workshops.models import Registration, WorkshopPage


@require_POST
def register(request, workshop_id: int):
    workshop = get_object_or_404(WorkshopPage.objects.live(), pk=workshop_id)
    form = RegistrationForm(request.POST)
    error = None
    if form.is_valid():
        try:
            registration = services.registration_create(
                workshop_id=workshop.pk, user=request.user, **form.cleaned_data
            )
        except services.WorkshopError as refused:
            error = refused.message
        else:
            return redirect("workshops:registration", secret=registration.secret)
    context = {
        "page": workshop,
        "registration_form": form,
        "error": error,
        "seats_left": selectors.seats_left(workshop=workshop),
    }
    return render(request, "workshops/register_again.html", context, status=400)


def registration_detail(request, secret: str):
    """The person's confirmation: status, code, QR for the door, place on the waiting list, cancel link."""
    registration = Registration.objects.select_related("workshop").filter(secret=secret[:64]).first()
    if registration is None:
        raise Http404
    door_url = request.build_absolute_uri(
        reverse("workshops:door", args=[registration.workshop_id]) + f"?codigo={registration.code}"
    )
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "position": selectors.waiting_position(registration=registration),
        "qr": qr_svg(door_url, label=_("Código QR de su inscripción")),
    }
    return render(request, "workshops/registration.html", context)


@require_http_methods(["GET", "POST"])
def registration_cancel(request, secret: str):
    registration = Registration.objects.select_related("workshop").filter(secret=secret[:64]).first()
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            services.registration_cancel(secret=secret)
        except services.WorkshopError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Su inscripción quedó anulada. Gracias por avisar: el cupo pasa a otra persona.")
            )
        return redirect("workshops:registration", secret=secret)
    return render(
        request, "workshops/cancel.html", {"registration": registration, "workshop": registration.workshop}
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workshop_ics(request, workshop_id: int):
    workshop = get_object_or_404(WorkshopPage.objects.live(), pk=workshop_id)
    content = ical.calendar_bytes([workshop], base_url=request.build_absolute_uri("/"), name=workshop.title)
    return _ics_response(content, f"taller-{workshop.pk}.ics")


def workshops_ics(request):
    content = ical.calendar_bytes(
        selectors.upcoming_workshops(),
        base_url=request.build_absolute_uri("/"),
        name=_("Talleres de CooperaNet"),
    )
    return _ics_response(content, "talleres.ics")
