"""Proposals of new incident types or actors made in workshops, reviewed by editors in /cms/."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_content.models import Actor, IncidentCategory
from cms_content.validators import PLAIN_TEXT

from .live import Answer
from .pages import WorkshopPage


class SuggestionKind(models.TextChoices):
    CATEGORY = "category", _("Tipo de problema (categoría)")
    ACTOR = "actor", _("Institución u organización (actor)")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Por revisar")
    ACCEPTED = "accepted", _("Aceptada")
    REJECTED = "rejected", _("Rechazada")


class Suggestion(models.Model):
    workshop = models.ForeignKey(
        WorkshopPage, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("taller")
    )
    answer = models.OneToOneField(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestion"
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=SuggestionKind.choices)
    name = models.CharField(_("nombre propuesto"), max_length=150, validators=PLAIN_TEXT)
    description = models.TextField(_("descripción"), blank=True, validators=PLAIN_TEXT)
    status = models.CharField(
        _("estado"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    reason = models.TextField(_("motivo del rechazo"), blank=True, validators=PLAIN_TEXT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("revisada el"), null=True, blank=True)
    created_category = models.ForeignKey(
        IncidentCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_actor = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("propuesta el"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sugerencia de taller")
        verbose_name_plural = _("sugerencias de talleres")

    def __str__(self):
        return self.name
