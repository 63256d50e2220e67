"""Incidents and their resolution: models, services, selectors, flows, deadlines."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    label = "workflows"
    verbose_name = _("Incidentes y flujos de resolución")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows import staff_signals  # noqa: F401  (connects the new-task notification)
