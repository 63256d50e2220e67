"""Citizen reporting: choose a category, tell what happens, submit, get a folio."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from cms_content.models import IncidentCategory
from cms_content.selectors import category_reportable_list, section_list
from portal.report_forms import ReportForm
from workflows import services
from workflows.duplicates import incident_nearby_open_list
from workflows.models import ReportChannel
from workflows.services.idempotency import (
    IdempotencyError,
    IdempotencyInFlight,
    idempotent,
    request_fingerprint,
)

SEARCH_MAX = 100
LAST_REPORT_SESSION_KEY = "portal.last_report"
CHAT_REPORT_DRAFT_SESSION_KEY = "chat.report_draft"


@require_GET
def report_start(request):
    """Step 1: the sections as big tiles, and a search over all sub-sections."""
    query = request.GET.get("q", "")[:SEARCH_MAX].strip()
    results = None
    if query:
        results = category_reportable_list().filter(
            Q(name__icontains=query)
            | Q(name_en__icontains=query)
            | Q(description__icontains=query)
            | Q(parent__name__icontains=query)
        )
    return render(
        request, "portal/report/start.html", {"sections": section_list(), "query": query, "results": results}
    )


@require_GET
def report_section(request, section_slug):
    """Step 2: the sub-sections of one section."""
    section = get_object_or_404(section_list(), slug=section_slug)
    children = category_reportable_list().filter(parent=section)
    return render(request, "portal/report/section.html", {"section": section, "children": children})


def _reportable_or_404(section_slug: str, category_slug: str) -> IncidentCategory:
    return get_object_or_404(category_reportable_list(), slug=category_slug, parent__slug=section_slug)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda group, request: settings.REPORT_FORM_RATE, method="POST", block=True)
def report_form(request, section_slug, category_slug):
    """Step 3: the emergency notice first, then the form; POST creates the incident and its photos."""
    category = _reportable_or_404(section_slug, category_slug)
    if category.blocks_form and request.GET.get("continuar") != "1" and request.method == "GET":
        return render(request, "portal/report/emergency_stop.html", {"category": category})
    # "Turn this chat message into a report" (chat.services.message_report_draft) leaves a draft here.
    chat_draft = request.session.get(CHAT_REPORT_DRAFT_SESSION_KEY) or {}
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        user=request.user,
        chat_photo_count=len(chat_draft.get("photo_uids") or []),
    )
    if chat_draft and not form.is_bound:
        form.fields["description"].initial = chat_draft.get("description", "")
        form.fields["latitude"].initial = chat_draft.get("latitude")
        form.fields["longitude"].initial = chat_draft.get("longitude")
    if request.method == "POST" and form.is_valid():
        try:
            created = _create_once(request, form, category)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except IdempotencyInFlight:
            form.add_error(None, _("Su reporte se está enviando. Espere un momento y revise «Mis reportes»."))
        except OSError:
            # Disk full or unwritable media: the transaction rolled back and the files written were removed.
            # 503 + Retry-After lets the offline queue try again later.
            form.add_error(
                None,
                _(
                    "No pudimos guardar su reporte en este momento. "
                    "No se guardó nada: intente de nuevo en unos minutos."
                ),
            )
            context = {"category": category, "form": form, "chat_photo_uids": chat_draft.get("photo_uids")}
            response = render(request, "portal/report/form.html", context, status=503)
            response["Retry-After"] = "60"
            return response
        except IdempotencyError:
            form.add_error(
                None,
                _(
                    "Este formulario ya se envió con otros datos. "
                    "Recargue la página para hacer un reporte nuevo."
                ),
            )
        else:
            request.session.pop(CHAT_REPORT_DRAFT_SESSION_KEY, None)
            request.session[LAST_REPORT_SESSION_KEY] = created
            return redirect("portal:report_done", folio=created["folio"])
    context = {"category": category, "form": form, "chat_photo_uids": chat_draft.get("photo_uids")}
    return render(request, "portal/report/form.html", context)


def _create_once(request, form: ReportForm, category: IncidentCategory) -> dict:
    """Create the report once per form (its hidden key): a resent form (double click, the offline queue
    retrying) gets the same folio instead of a second incident."""
    data = form.cleaned_data

    def work():
        incident = _create_from_form(request, form, category)
        return 201, {"folio": incident.folio, "secret": incident.tracking_secret}

    if not data.get("idempotency_key"):
        return work()[1]
    fingerprint = request_fingerprint(
        {
            "category": category.slug,
            **{k: v for k, v in data.items() if k not in ("photos", "idempotency_key")},
            "photos": [hashlib.sha256(photo.image).hexdigest() for photo in data["photos"]],
        }
    )
    _status, body = idempotent(
        scope="web:report", key=data["idempotency_key"], request_hash=fingerprint, work=work
    )
    return body


def _create_from_form(request, form: ReportForm, category: IncidentCategory):
    """Incident and photos in one transaction; if it rolls back, the photo files written are removed."""
    written = []
    try:
        with transaction.atomic():
            return _create_incident_and_photos(request, form, category, written)
    except BaseException:
        for photo in written:
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
        raise


def _create_incident_and_photos(request, form: ReportForm, category: IncidentCategory, written: list):
    data = form.cleaned_data
    incident = services.incident_report(
        category=category,
        description=data["description"],
        by=request.user,
        latitude=data["latitude"],
        longitude=data["longitude"],
        address=data["address"],
        channel=ReportChannel.CHAT
        if request.session.get(CHAT_REPORT_DRAFT_SESSION_KEY)
        else ReportChannel.WEB,
        is_anonymous=form.is_anonymous,
        contact_name=data["contact_name"],
        contact_rut=data["contact_rut"],
        contact_phone=data["contact_phone"],
        contact_email=data["contact_email"],
    )
    uploads = list(data["photos"])
    if data.get("chat_photos"):
        uploads += _chat_draft_photos(request)
    for upload in uploads:
        try:
            written.append(services.incident_photo_add(incident=incident, upload=upload, by=request.user))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    return incident


def _chat_draft_photos(request) -> list:
    """The photos of the chat message the report is made from, as the photo pipeline's rebuilt photos
    (they were rebuilt when posted); none if the message or the membership is gone meanwhile."""
    from chat.selectors import message_photos_for_report

    draft = request.session.get(CHAT_REPORT_DRAFT_SESSION_KEY) or {}
    if not draft.get("message_id"):
        return []
    rebuilt = []
    photos = message_photos_for_report(
        room_id=draft["room_id"], message_id=draft["message_id"], user=request.user
    )
    for photo in photos:
        with photo.image.open("rb") as image, photo.thumbnail.open("rb") as thumbnail:
            rebuilt.append(
                services.RebuiltPhoto(
                    image=image.read(), thumbnail=thumbnail.read(), width=photo.width, height=photo.height
                )
            )
    return rebuilt


@require_GET
def report_done(request, folio):
    """The folio and the tracking link (with its secret) of the report this browser just made."""
    last = request.session.get(LAST_REPORT_SESSION_KEY) or {}
    if last.get("folio") != folio:
        raise Http404
    tracking_url = request.build_absolute_uri(
        reverse("portal:incident_detail", args=[folio]) + f"?s={last['secret']}"
    )
    return render(request, "portal/report/done.html", {"folio": folio, "tracking_url": tracking_url})


@require_GET
def report_nearby(request):
    """JSON: open incidents of the chosen sub-section near the pin, to offer "this affects me too"."""
    category = IncidentCategory.objects.reportable().filter(slug=request.GET.get("category", "")).first()
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except ValueError:
        return JsonResponse({"error": _("Coordenadas no válidas.")}, status=400)
    if category is None:
        return JsonResponse({"error": _("Categoría desconocida.")}, status=400)
    from cms_content.geo import in_comuna

    if not in_comuna(lat, lon):
        return JsonResponse({"results": []})
    results = [
        {
            "folio": incident.folio,
            "distance_m": incident.distance_m,
            "status": incident.get_status_display(),
            "created_at": incident.created_at.date().isoformat(),
            "supporters": incident.supporters_count,
            "url": reverse("portal:incident_detail", args=[incident.folio]),
        }
        for incident in incident_nearby_open_list(category=category, lat=lat, lon=lon)
    ]
    return JsonResponse({"results": results})
