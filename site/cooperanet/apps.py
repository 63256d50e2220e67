"""App configs of the project wiring."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class CooperanetStaticFilesConfig(StaticFilesConfig):
    """Django's staticfiles, skipping the node_modules folders some wheels ship."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules"]
