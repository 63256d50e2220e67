"""Coordination of several actors on one incident: sub-tasks with their own deadlines and owner.

Imported at the end of `workflows.models` (so Django registers it in the `workflows` app); kept apart to
keep that module short. Every change of a sub-task appends an IncidentEvent to the shared acta.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_content.models import DeadlineUnit


class SubtaskKind(models.TextChoices):
    COORDINATION = "coordination", _("Apoyo pedido por la jefatura")
    EMERGENCY = "emergency", _("Despacho de emergencia")
    PROTECTION = "protection", _("Derivación de protección")


class SubtaskStatus(models.TextChoices):
    OPEN = "open", _("Pendiente")
    ACKNOWLEDGED = "acknowledged", _("En camino")
    DONE = "done", _("Terminada")
    CANCELLED = "cancelled", _("Anulada")


OPEN_SUBTASK_STATUSES = [SubtaskStatus.OPEN, SubtaskStatus.ACKNOWLEDGED]


class IncidentSubtask(models.Model):
    """One actor's part of an incident: what to do, by when, and who did it.

    The responsible actor's manager adds them (coordination), the emergency flow creates one per dispatched
    actor, the protected flow one for its protection actor. Staff of `actor` see the incident while they
    hold one (`workflows.selectors.incident_list_for_user`); a referral moves it to another actor.
    """

    incident = models.ForeignKey(
        "workflows.Incident", on_delete=models.CASCADE, related_name="subtasks", verbose_name=_("incidente")
    )
    actor = models.ForeignKey(
        "cms_content.Actor",
        on_delete=models.PROTECT,
        related_name="incident_subtasks",
        verbose_name=_("actor"),
    )
    kind = models.CharField(
        _("tipo"), max_length=20, choices=SubtaskKind.choices, default=SubtaskKind.COORDINATION
    )
    instructions = models.TextField(_("qué hacer"), max_length=2000)
    deadline_amount = models.PositiveIntegerField(_("plazo"), default=1)
    deadline_unit = models.CharField(
        _("unidad del plazo"), max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.BUSINESS_DAYS
    )
    due_at = models.DateTimeField(_("vence"), null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(_("acuse de recibo antes de"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=SubtaskStatus.choices, default=SubtaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creada por"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acusada por"),
    )
    acknowledged_at = models.DateTimeField(_("acusada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terminada por"),
    )
    done_at = models.DateTimeField(_("terminada"), null=True, blank=True)
    done_note = models.TextField(_("qué se hizo"), blank=True)
    # Set by the deadline tick's conditional UPDATE: whoever sets it escalates, so each fires once.
    acknowledge_escalated_at = models.DateTimeField(_("acuse vencido escalado"), null=True, blank=True)
    overdue_escalated_at = models.DateTimeField(_("plazo vencido escalado"), null=True, blank=True)

    def __str__(self):
        return f"{self.incident_id} · {self.actor_id} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SUBTASK_STATUSES

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["actor", "status"], name="subtask_actor_status")]
        verbose_name = _("sub-tarea del incidente")
        verbose_name_plural = _("sub-tareas del incidente")
