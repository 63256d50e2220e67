"""In-app notifications for staff (the list behind the bell in the staff header)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffNotification(models.Model):
    """One thing a staff member should know about a case: a task given to them, a new task in their
    actor's queue, a deadline warning or an escalation. Created by the background worker, after commit."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Tarea asignada a usted")
        NEW_TASK = "new_task", _("Nueva tarea en la cola de su institución")
        DEADLINE_WARNING = "deadline_warning", _("Aviso de plazo")
        ESCALATED = "escalated", _("Caso escalado a la jefatura")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_notifications",
        verbose_name=_("persona"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    incident = models.ForeignKey(
        "workflows.Incident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_notifications",
        verbose_name=_("caso"),
    )
    text = models.CharField(_("texto"), max_length=300)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.text[:40]}"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aviso para el personal")
        verbose_name_plural = _("avisos para el personal")
        indexes = [models.Index(fields=["user", "read_at"], name="staffnotif_user_unread")]
