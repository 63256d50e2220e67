"""The project's REST API under /api/ (DRF); each app contributes its router."""

from django.urls import include, path

urlpatterns = [
    path("", include("cms_content.api.urls")),
    path("", include("workflows.api.urls")),
]
