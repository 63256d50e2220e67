"""Installable app at the site root (included in the "portal" namespace: portal:pwa_manifest, …)."""

from django.urls import path

from portal import pwa_views

urlpatterns = [
    path("manifest.webmanifest", pwa_views.manifest, name="pwa_manifest"),
    path("sw.js", pwa_views.service_worker, name="pwa_service_worker"),
    path("sin-conexion/", pwa_views.offline, name="offline"),
]
