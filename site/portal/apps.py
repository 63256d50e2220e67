"""The citizen-facing site: home, reporting, tracking, help; also the role groups of the platform."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = _("Portal ciudadano")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.roles import sync_roles_after_migrate

        # Permissions exist only after every app migrated, so roles are synced on post_migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="portal.sync_roles")
