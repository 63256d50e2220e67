"""Indicators and open data: dashboards, the auditor's views, exports and accountability reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    label = "indicators"
    verbose_name = _("Indicadores y datos abiertos")
    default_auto_field = "django.db.models.BigAutoField"
