"""Citizen site URLs (namespace "portal")."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import report_views, tracking_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("ingresar/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferencias/", views.display_preferences, name="display_preferences"),
    path("reportar/", report_views.report_start, name="report_start"),
    path("reportar/cercanos/", report_views.report_nearby, name="report_nearby"),
    path("reportar/listo/<str:folio>/", report_views.report_done, name="report_done"),
    path("reportar/<slug:section_slug>/", report_views.report_section, name="report_section"),
    path("reportar/<slug:section_slug>/<slug:category_slug>/", report_views.report_form, name="report_form"),
    path("seguimiento/", tracking_views.tracking_lookup, name="tracking_lookup"),
    path("seguimiento/<str:folio>/", tracking_views.incident_detail, name="incident_detail"),
    path("seguimiento/<str:folio>/respuesta/", tracking_views.incident_answer, name="incident_answer"),
    path(
        "seguimiento/<str:folio>/informacion/",
        tracking_views.incident_information,
        name="incident_information",
    ),
    path("mis-reportes/", tracking_views.my_reports, name="my_reports"),
    # The public directory of actors and joint attention sessions (portal:directory_*, portal:session_*).
    path("", include("portal.directory_urls")),
    # Incident photos from private storage, with an access check (portal:incident_photo…).
    path("", include("portal.photo_urls")),
    path("", include("portal.intake_urls")),
    path("", include("portal.pwa_urls")),
]
