"""Incidents, their append-only history, and the viewflow process that resolves them."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cms_content.models import Priority


class IncidentStatus(models.TextChoices):
    """Statuses shown to citizens (DESIGN.md §4); Open311 maps closed/resolved/rejected to "closed"."""

    RECEIVED = "received", _("Recibido")
    IN_REVIEW = "in_review", _("En revisión")
    ASSIGNED = "assigned", _("Asignado")
    IN_PROGRESS = "in_progress", _("En proceso")
    WAITING_DECISION = "waiting_decision", _("Esperando decisión")
    RESOLVED = "resolved", _("Resuelto")
    CLOSED = "closed", _("Cerrado")
    REJECTED = "rejected", _("Rechazado")


OPEN_STATUSES = [
    IncidentStatus.RECEIVED,
    IncidentStatus.IN_REVIEW,
    IncidentStatus.ASSIGNED,
    IncidentStatus.IN_PROGRESS,
    IncidentStatus.WAITING_DECISION,
]


class ReportChannel(models.TextChoices):
    WEB = "web", _("Web")
    FRONT_DESK = "front_desk", _("Oficina de atención")
    PHONE = "phone", _("Teléfono")
    OPEN311 = "open311", _("Open311")
    CHAT = "chat", _("Chat vecinal")
    WORKSHOP = "workshop", _("Taller")


def new_tracking_secret() -> str:
    return secrets.token_urlsafe(24)


class Incident(models.Model):
    """A report of a citizen, entered on the web or by the front desk, followed to its end.

    Integer key (viewflow's artifact link stores integers); citizens see the public `folio` instead.
    The reporter's identity and contact never leave staff screens.
    """

    folio = models.CharField(_("folio"), max_length=20, unique=True)
    tracking_secret = models.CharField(
        _("clave de seguimiento"), max_length=64, default=new_tracking_secret, editable=False
    )
    category = models.ForeignKey(
        "cms_content.IncidentCategory",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("categoría"),
    )
    description = models.TextField(_("descripción"), max_length=5000)
    latitude = models.FloatField(
        _("latitud"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitud"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    address = models.CharField(_("lugar"), max_length=300, blank=True)
    neighbourhood = models.ForeignKey(
        "cms_content.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("barrio"),
    )
    responsible_actor = models.ForeignKey(
        "cms_content.Actor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("actor responsable"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_incidents",
        verbose_name=_("persona que reporta"),
    )
    is_anonymous = models.BooleanField(_("anónimo"), default=False)
    contact_name = models.CharField(_("nombre de contacto"), max_length=150, blank=True)
    contact_rut = models.CharField(_("RUT"), max_length=12, blank=True)
    contact_phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    contact_email = models.EmailField(_("correo"), blank=True)
    channel = models.CharField(
        _("canal"), max_length=20, choices=ReportChannel.choices, default=ReportChannel.WEB
    )
    priority = models.CharField(
        _("prioridad"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.RECEIVED
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicado de"),
    )
    supporters_count = models.PositiveIntegerField(_("también me afecta"), default=0)
    due_at = models.DateTimeField(_("plazo"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)

    def __str__(self):
        return self.folio

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incidente")
        verbose_name_plural = _("incidentes")
        indexes = [
            models.Index(fields=["status", "created_at"], name="incident_status_created"),
            models.Index(fields=["category", "created_at"], name="incident_category_created"),
            models.Index(fields=["responsible_actor", "status"], name="incident_actor_status"),
        ]
        permissions = [
            ("intake_incident", _("Puede ingresar reportes en nombre de la ciudadanía")),
            ("triage_incident", _("Puede revisar, priorizar y derivar incidentes")),
            ("work_incident", _("Puede trabajar tareas de incidentes de su actor")),
            ("decide_incident", _("Puede decidir presupuesto o prioridad (autoridad)")),
            ("audit_incident", _("Puede leer todos los incidentes y su historia (auditoría)")),
            ("view_sensitive_incident", _("Puede ver incidentes de categorías sensibles de su actor")),
        ]


class IncidentEventKind(models.TextChoices):
    REPORTED = "reported", _("Reporte recibido")
    STATUS_CHANGED = "status_changed", _("Cambio de estado")
    PRIORITY_CHANGED = "priority_changed", _("Cambio de prioridad")
    ASSIGNED = "assigned", _("Asignado")
    NOTE = "note", _("Nota")
    SUPPORTED = "supported", _("También me afecta")


class IncidentEvent(models.Model):
    """One line of the case's acta: who did what, when. Append-only: services add, nobody edits."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("tipo"), max_length=30, choices=IncidentEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("por"),
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    public = models.BooleanField(_("visible para la ciudadanía"), default=True)
    note = models.TextField(_("nota"), blank=True)
    data = models.JSONField(_("datos"), default=dict, blank=True)

    def __str__(self):
        return f"{self.incident_id} · {self.kind}"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evento del incidente")
        verbose_name_plural = _("eventos del incidente")


class IncidentProcess(Process):
    """The viewflow process resolving one incident (the artifact); holds process state only."""

    class Meta:
        proxy = True
        verbose_name = _("proceso de resolución")
        verbose_name_plural = _("procesos de resolución")
