"""Exports: small ones answered at once, large ones as background jobs with a progress page; open data."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators.exports import (
    CONTENT_TYPES,
    PUBLIC_FIELDS,
    ExportParamsError,
    csv_chunks,
    export_queryset,
    export_rows,
    geojson_chunks,
    window_from_params,
)
from indicators.forms import ExportForm
from indicators.models import ExportJob
from indicators.permissions import staff_actor_scope
from indicators.services import export_job_create, export_job_for_viewer


def _is_staff(user) -> bool:
    try:
        staff_actor_scope(user=user)
    except PermissionDenied:
        return False
    return True


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def export_start(request):
    staff = _is_staff(request.user)
    form = ExportForm(request.POST or None, staff=staff)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {
            "desde": data["desde"].isoformat() if data.get("desde") else "",
            "hasta": data["hasta"].isoformat() if data.get("hasta") else "",
        }
        try:
            job = export_job_create(
                user=request.user,
                session_key=_session_key(request),
                scope=data["alcance"],
                fmt=data["formato"],
                params=params,
            )
        except ExportParamsError as problem:
            error = str(problem)
        else:
            return redirect("indicators:export_job", uid=job.uid)
    return render(request, "indicators/export_start.html", {"form": form, "error": error, "staff": staff})


def _job_or_404(request, uid) -> ExportJob:
    job = export_job_for_viewer(uid=uid, user=request.user, session_key=request.session.session_key or "")
    if job is None:
        raise Http404
    return job


def _job_status(job: ExportJob) -> dict:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.progress_pct,
        "download_url": reverse("indicators:export_download", args=[job.uid])
        if job.status == ExportJob.Status.DONE
        else None,
        "error": job.error,
    }


def export_job(request, uid):
    job = _job_or_404(request, uid)
    return render(request, "indicators/export_job.html", {"job": job, "status": _job_status(job)})


@require_GET
def export_job_status(request, uid):
    job = _job_or_404(request, uid)
    return JsonResponse(_job_status(job))


def export_download(request, uid):
    job = _job_or_404(request, uid)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[job.format],
    )


def open_data_doc(request):
    return render(request, "indicators/open_data.html", {"fields": PUBLIC_FIELDS})


@require_GET
def open_data(request, fmt: str):
    """The open-data endpoint: public incidents of a period (at most a year) as CSV or GeoJSON, streamed."""
    try:
        window = window_from_params(request.GET)
    except ExportParamsError as problem:
        return HttpResponseBadRequest(str(problem), content_type="text/plain; charset=utf-8")
    if window.days > 366:
        return HttpResponseBadRequest(
            _("Pida como máximo un año por vez, o use la página de exportación."),
            content_type="text/plain; charset=utf-8",
        )
    rows = export_rows(scope="public", queryset=export_queryset(scope="public", window=window), window=window)
    chunks = csv_chunks(rows, PUBLIC_FIELDS) if fmt == "csv" else geojson_chunks(rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="incidentes-{window.date_from}-{window.date_to}.{fmt}"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
