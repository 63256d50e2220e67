"""Export jobs: large exports built in the background, with progress and a download when ready."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.storage import get_private_storage


class ExportJob(models.Model):
    """One export requested from /indicadores/exportar/: run by a django-tasks job, polled by its page.

    The file lands in private storage and is served only to whoever asked for it (their user, or for
    anonymous visitors their browser session).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("En espera")
        RUNNING = "running", _("Preparando")
        DONE = "done", _("Lista")
        FAILED = "failed", _("Falló")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"
        GEOJSON = "geojson", "GeoJSON"

    class Scope(models.TextChoices):
        PUBLIC = "public", _("Datos públicos")
        STAFF = "staff", _("Todos los incidentes (personal)")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    scope = models.CharField(_("alcance"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    format = models.CharField(_("formato"), max_length=10, choices=Format.choices, default=Format.CSV)
    params = models.JSONField(_("filtros"), default=dict, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("filas"), default=0)
    done = models.PositiveIntegerField(_("filas listas"), default=0)
    file = models.FileField(_("archivo"), upload_to="exports/", storage=get_private_storage, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)

    def __str__(self):
        return f"{self.uid} · {self.format} · {self.status}"

    @property
    def progress_pct(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exportación")
        verbose_name_plural = _("exportaciones")
