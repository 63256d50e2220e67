"""Sign-ups: confirmed seats, the waiting list, cancellations and attendance at the door."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_content.models import Neighbourhood
from cms_content.validators import PLAIN_TEXT
from workshops.codes import REGISTRATION_CODE_LENGTH, registration_code, secret_token

from .pages import WorkshopPage


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrita/o")
    WAITING = "waiting", _("En lista de espera")
    CANCELLED = "cancelled", _("Anulada")


class Registration(models.Model):
    """One person's place in a workshop. Contact data is seen only by the workshop's trainers.

    The waiting list is the WAITING rows in `created_at` order; services promote the first one when a
    confirmed seat is cancelled. `code` is shown to the person (and in the QR) for the door;
    `secret` is only in their cancel link.
    """

    workshop = models.ForeignKey(
        WorkshopPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("taller")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_registrations",
    )
    name = models.CharField(_("nombre"), max_length=120, validators=PLAIN_TEXT)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True, validators=PLAIN_TEXT)
    email = models.EmailField(_("correo electrónico"), blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("barrio"),
    )
    organisation = models.CharField(_("organización"), max_length=150, blank=True, validators=PLAIN_TEXT)
    status = models.CharField(_("estado"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(
        _("código"), max_length=REGISTRATION_CODE_LENGTH, unique=True, default=registration_code
    )
    secret = models.CharField(max_length=64, unique=True, default=secret_token, editable=False)
    walk_in = models.BooleanField(_("llegó sin inscripción"), default=False)
    created_at = models.DateTimeField(_("inscrita/o el"), auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(_("pasó de la lista de espera el"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("anulada el"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("asistió (registro de llegada)"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscripción")
        verbose_name_plural = _("inscripciones")
        permissions = [
            ("run_workshop", _("Puede dirigir cualquier taller (inscripciones, asistencia, en vivo)"))
        ]
        indexes = [models.Index(fields=["workshop", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} ({self.code})"
