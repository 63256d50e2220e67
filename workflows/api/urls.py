"""Incident endpoints under /api/ (included by cooperanet.api_urls)."""

from django.urls import path, re_path

from workflows.api import views

# Folios look like CN-2026-000123: other characters (NUL, slashes) never reach the database.
FOLIO = r"(?P<folio>[A-Za-z0-9-]{1,20})"

urlpatterns = [
    path("incidents/", views.IncidentListCreateView.as_view(), name="api-incidents"),
    re_path(rf"^incidents/{FOLIO}/$", views.IncidentDetailView.as_view(), name="api-incident-detail"),
    re_path(
        rf"^incidents/{FOLIO}/supporters/$",
        views.IncidentSupportView.as_view(),
        name="api-incident-supporters",
    ),
]
