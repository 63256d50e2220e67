"""Community workshops: pages, sign-ups with a waiting list, attendance, live activities and results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    label = "workshops"
    verbose_name = _("Talleres comunitarios")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from workshops.models import WorkshopPage

        page_published.connect(_refill_waiting_list, sender=WorkshopPage, dispatch_uid="workshops_refill")


def _refill_waiting_list(sender, instance, **kwargs):
    # A published capacity increase gives the new seats to the people waiting, in order.
    from workshops.services import waiting_list_refill

    waiting_list_refill(workshop_id=instance.pk)
