"""Writes of the indicators app: export jobs (created by a request, run by a background task)."""

import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.exports import (
    PUBLIC_FIELDS,
    STAFF_FIELDS,
    ExportParamsError,
    export_queryset,
    export_rows,
    window_from_params,
    write_export,
)
from indicators.models import ExportJob
from indicators.permissions import may_see_sensitive_rows, staff_actor_scope


def export_job_create(*, user, session_key: str, scope: str, fmt: str, params: dict) -> ExportJob:
    """Check the request and queue the job (run after the commit). Raises ExportParamsError or
    PermissionDenied and changes nothing when the request is not valid."""
    if fmt not in ExportJob.Format.values:
        raise ExportParamsError(_("Elija un formato: CSV, XLSX o GeoJSON."))
    if scope not in ExportJob.Scope.values:
        raise ExportParamsError(_("Elija qué datos exportar."))
    window = window_from_params(params)
    clean = {"desde": window.date_from.isoformat(), "hasta": window.date_to.isoformat()}
    if scope == ExportJob.Scope.STAFF:
        actor_ids = staff_actor_scope(user=user)  # PermissionDenied for the public
        clean["actor_ids"] = list(actor_ids) if actor_ids is not None else None
        clean["sensitive"] = may_see_sensitive_rows(user=user)
    job = ExportJob.objects.create(
        requested_by=user if user.is_authenticated else None,
        session_key="" if user.is_authenticated else session_key,
        scope=scope,
        format=fmt,
        params=clean,
    )
    from indicators.tasks import run_export_job

    transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def export_job_run(*, job_id: int) -> str:
    """Build the file of a job, updating its progress every thousand rows. Returns the final status."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        return job.status if job else "missing"
    try:
        window = window_from_params(job.params)
        queryset = export_queryset(
            scope=job.scope,
            window=window,
            actor_ids=job.params.get("actor_ids"),
            include_sensitive=job.params.get("sensitive", False),
        )
        total = queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=total, done=0)
        fields = PUBLIC_FIELDS if job.scope == ExportJob.Scope.PUBLIC else STAFF_FIELDS

        def progress(count: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(done=count)

        with tempfile.TemporaryFile() as target:
            write_export(
                fmt=job.format,
                rows=export_rows(scope=job.scope, queryset=queryset, window=window),
                fields=fields,
                target=target,
                progress=progress,
            )
            target.seek(0)
            job.refresh_from_db()
            name = f"incidentes-{window.date_from:%Y%m%d}-{window.date_to:%Y%m%d}.{job.format}"
            job.file.save(name, File(target), save=False)
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
    except (ExportParamsError, PermissionDenied, OSError) as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        return ExportJob.Status.FAILED
    return ExportJob.Status.DONE


def export_job_for_viewer(*, uid, user, session_key: str) -> ExportJob | None:
    """The job if this viewer asked for it (their user or, anonymously, their session), else None."""
    import uuid

    try:
        uid = uuid.UUID(str(uid))
    except ValueError:
        return None
    job = ExportJob.objects.filter(uid=uid).first()
    if job is None:
        return None
    if job.requested_by_id is not None:
        return job if user.is_authenticated and user.pk == job.requested_by_id else None
    return job if session_key and job.session_key == session_key else None
