"""Incidents, their append-only history, and the viewflow process that resolves them."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from cms_content.models import Priority
from workflows.storage import get_private_storage


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


class ResolutionCode(models.TextChoices):
    """How a case was resolved: a fixed list so that indicators can count them."""

    REPAIRED = "repaired", _("Reparado o corregido")
    CLEANED = "cleaned", _("Limpiado o retirado")
    ATTENDED = "attended", _("Atendido en terreno")
    REFERRED_OUT = "referred_out", _("Derivado a la institución que corresponde")
    SCHEDULED = "scheduled", _("Programado en plan de trabajo")
    NOT_FOUND = "not_found", _("No se encontró el problema en terreno")


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicado de otro reporte")
    FALSE_REPORT = "false_report", _("Reporte falso o malicioso")
    NOT_COMPETENT = "not_competent", _("No es de nuestra competencia")


# Columns the dashboards aggregate; carried in the covering indexes below so PostgreSQL answers from them.
INDICATOR_COLUMNS = [
    "category",
    "neighbourhood",
    "responsible_actor",
    "channel",
    "status",
    "latitude",
    "longitude",
    "resolved_at",
    "due_at",
    "closed_at",
    "contested_count",
]


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
    held_for_review = models.BooleanField(
        _("retenido para revisión"),
        default=False,
        help_text=_("Reportes de contactos bloqueados: no se publican hasta que alguien los revise."),
    )
    due_at = models.DateTimeField(_("plazo"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)
    resolution_code = models.CharField(
        _("tipo de solución"), max_length=20, choices=ResolutionCode.choices, blank=True
    )
    resolution_note = models.TextField(_("nota de solución"), blank=True)
    resolved_at = models.DateTimeField(_("resuelto"), null=True, blank=True)
    contested_count = models.PositiveIntegerField(_("reclamos de la solución"), default=0)
    rejection_reason = models.CharField(
        _("motivo de rechazo"), max_length=20, choices=RejectionReason.choices, blank=True
    )

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
            # Indicators read a time window from the index alone (PostgreSQL INCLUDE; plain index elsewhere):
            # the cost follows the window's rows, never the table's size.
            models.Index(
                fields=["created_at"],
                include=INDICATOR_COLUMNS,
                name="incident_created_covering",
            ),
            models.Index(
                fields=["responsible_actor", "created_at"],
                include=[column for column in INDICATOR_COLUMNS if column != "responsible_actor"],
                name="incident_actor_created_cov",
            ),
            # Public figures leave out reports held for review: a partial index keeps them index-only.
            models.Index(
                fields=["created_at"],
                include=[*INDICATOR_COLUMNS, "reporter", "is_anonymous"],
                condition=models.Q(held_for_review=False),
                name="incident_public_created_cov",
            ),
            # Resolution times per actor: only resolved cases, only what the figures read, walked actor by
            # actor so the grouping needs no sort (indicators.selectors.aggregates.resolution_by_actor).
            models.Index(
                fields=["responsible_actor", "created_at"],
                include=["resolved_at", "due_at", "category"],
                condition=models.Q(held_for_review=False, resolved_at__isnull=False),
                name="incident_resolved_actor_cov",
            ),
            models.Index(
                fields=["status", "created_at"],
                include=["category"],
                condition=models.Q(held_for_review=False),
                name="incident_public_status_cov",
            ),
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
    ACCEPTED = "accepted", _("Reporte validado")
    RECATEGORISED = "recategorised", _("Cambio de categoría")
    HANDED_OVER = "handed_over", _("Derivado a otra institución")
    MERGED = "merged", _("Unido a otro reporte")
    REJECTED = "rejected", _("Reporte rechazado")
    RESOLVED = "resolved", _("Solución registrada")
    EVIDENCE_ADDED = "evidence_added", _("Evidencia agregada")
    DEADLINE_WARNING = "deadline_warning", _("Aviso de plazo")
    INSPECTED = "inspected", _("Inspección en terreno")
    AUTHORITY_DECIDED = "authority_decided", _("Decisión de la autoridad")
    CONFIRMED = "confirmed", _("La persona confirmó la solución")
    CONTESTED = "contested", _("La persona reclamó: el problema sigue")
    AUTO_CLOSED = "auto_closed", _("Cerrado sin reclamos en el plazo")
    ESCALATED = "escalated", _("Escalado a la jefatura por plazo vencido")
    # coordination of several actors (workflows.coordination_models.IncidentSubtask)
    DISPATCHED = "dispatched", _("Despachado a las instituciones")
    SUBTASK_ADDED = "subtask_added", _("Tarea pedida a otra institución")
    SUBTASK_ACKNOWLEDGED = "subtask_acknowledged", _("La institución confirmó que va")
    SUBTASK_DONE = "subtask_done", _("La institución terminó su parte")
    SUBTASK_REFERRED = "subtask_referred", _("Tarea derivada a otra institución")
    PROTECTION_REFERRAL = "protection_referral", _("Derivado a la institución de protección")
    JOINT_CLOSURE = "joint_closure", _("Cierre conjunto")


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


def photo_upload_path(photo: "IncidentPhoto", filename: str) -> str:
    # Random names: the original file name may carry a person's name.
    return f"incidents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


def thumbnail_upload_path(photo: "IncidentPhoto", filename: str) -> str:
    return f"incidents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-thumb.jpg"


class IncidentPhoto(models.Model):
    """A photo of an incident, rebuilt from its pixels (no EXIF, GPS or comments), in private storage.

    Served only through `portal:incident_photo`, which checks who may see the incident: nginx never
    serves these files directly (sensitive cases must stay private).
    """

    uid = models.UUIDField(_("identificador"), default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("foto"),
        upload_to=photo_upload_path,
        storage=get_private_storage,
        width_field="width",
        height_field="height",
    )
    thumbnail = models.ImageField(
        _("miniatura"), upload_to=thumbnail_upload_path, storage=get_private_storage
    )
    width = models.PositiveIntegerField(_("ancho"), default=0)
    height = models.PositiveIntegerField(_("alto"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subida por"),
    )
    is_evidence = models.BooleanField(
        _("evidencia del caso"),
        default=False,
        help_text=_("Fotos de inspección o solución subidas por el personal."),
    )
    created_at = models.DateTimeField(_("subida"), auto_now_add=True)

    def __str__(self):
        return f"{self.incident_id} · {self.uid}"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("foto del incidente")
        verbose_name_plural = _("fotos del incidente")


class IncidentSupporter(models.Model):
    """A person who says "this affects me too": a signed-in user or, anonymously, a browser session."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.incident_id} · {self.user_id or self.session_key[:6]}"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_supporter_user",
            ),
            models.UniqueConstraint(
                fields=["incident", "session_key"],
                condition=~models.Q(session_key=""),
                name="unique_supporter_session",
            ),
        ]


class IdempotencyRecord(models.Model):
    """The stored answer to a create request carrying an Idempotency-Key, so a retry gets the same answer.

    The unique (scope, key) row is inserted before the work, inside the same transaction: a concurrent
    duplicate waits for it and then sees it (409 while in flight, the stored answer afterwards).
    """

    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.scope}:{self.key}"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")]


class IntegratorKey(models.Model):
    """An Open311 `api_key` issued to an integrator (admin or `manage.py open311_key NAME`).

    Only a SHA-256 of the key is stored; the key itself is shown once when it is issued.
    """

    name = models.CharField(_("integrador"), max_length=120, help_text=_("Quién usa esta clave."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("inicio de la clave"), max_length=8, editable=False)
    active = models.BooleanField(_("activa"), default=True, help_text=_("Desactive para revocar la clave."))
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    class Meta:
        verbose_name = _("clave Open311")
        verbose_name_plural = _("claves Open311")


class BlockedContact(models.Model):
    """An e-mail or phone on the abuse list: its reports are held quietly for review, not refused."""

    value = models.CharField(
        _("correo o teléfono"),
        max_length=254,
        unique=True,
        help_text=_("Correo en minúsculas o teléfono solo con dígitos y +."),
    )
    reason = models.CharField(_("motivo"), max_length=250, help_text=_("Por qué se bloquea."))
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    def __str__(self):
        return self.value

    class Meta:
        verbose_name = _("contacto bloqueado")
        verbose_name_plural = _("contactos bloqueados")


class DeadlineAlert(models.Model):
    """A deadline warning or escalation that fired for an incident: at most one per level, ever.

    The unique (incident, level) row is the guarantee: `deadline_tick` inserts it before telling anyone,
    so two ticks at once, or a tick after downtime, fire each level exactly once.
    """

    class Level(models.TextChoices):
        HALF = "half", _("50 % del plazo")
        LATE_WARNING = "late_warning", _("80 % del plazo")
        OVERDUE = "overdue", _("Plazo vencido: escalado a la jefatura")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deadline_alerts")
    level = models.CharField(_("nivel"), max_length=20, choices=Level.choices)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    def __str__(self):
        return f"{self.incident_id} · {self.level}"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "level"], name="unique_deadline_alert")]
        verbose_name = _("aviso de plazo")
        verbose_name_plural = _("avisos de plazo")


class SensitiveReadLog(models.Model):
    """Who opened a sensitive case, when and how: every read is kept, for the auditors (DESIGN.md §1)."""

    class Via(models.TextChoices):
        STAFF = "staff", _("Personal del actor")
        REPORTER = "reporter", _("Persona que reportó")
        SECRET_LINK = "secret_link", _("Enlace secreto")
        AUDIT = "audit", _("Auditoría")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sensitive_reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usuario"),
    )
    via = models.CharField(_("acceso"), max_length=20, choices=Via.choices)
    what = models.CharField(_("qué se leyó"), max_length=50)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.incident_id} · {self.via} · {self.created_at:%Y-%m-%d %H:%M}"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lectura de caso sensible")
        verbose_name_plural = _("lecturas de casos sensibles")


class IncidentProcess(Process):
    """The viewflow process resolving one incident (the artifact); holds process state only."""

    class Meta:
        proxy = True
        verbose_name = _("proceso de resolución")
        verbose_name_plural = _("procesos de resolución")


# Kept in its own module (this one is long); imported here so Django registers it in this app.
from workflows.coordination_models import IncidentSubtask  # noqa: E402, F401
from workflows.staff_notification_models import StaffNotification  # noqa: E402, F401
