"""Editorial content of the platform: taxonomy, actors, neighbourhoods, help and workshop pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsContentConfig(AppConfig):
    name = "cms_content"
    label = "cms_content"
    verbose_name = _("Contenidos y directorio")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms_content.api.taxonomy_cache import connect_signals

        connect_signals()
