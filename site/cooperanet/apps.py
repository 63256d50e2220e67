"""App configs of the project wiring."""

from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class CooperanetStaticFilesConfig(StaticFilesConfig):
    """Django's staticfiles, skipping the node_modules folders some wheels ship."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]


class CooperanetConfig(AppConfig):
    """The project wiring as an app: its deploy checks, two-factor screens and templates."""

    name = "cooperanet"
    label = "cooperanet"
    verbose_name = "CooperaNet"

    def ready(self):
        from cooperanet import checks  # noqa: F401  (registers the deploy checks)
