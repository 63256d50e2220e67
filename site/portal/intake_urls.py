"""Front-desk intake, included in the "portal" namespace (portal:intake_new, portal:intake_receipt…)."""

from django.urls import path

from portal import intake_views

urlpatterns = [
    path("oficina/", intake_views.intake_new, name="intake_new"),
    path("oficina/buscar/", intake_views.intake_search, name="intake_search"),
    path("oficina/ciudadanos/", intake_views.intake_citizen_search, name="intake_citizen_search"),
    path("oficina/comprobante/<str:folio>/", intake_views.intake_receipt, name="intake_receipt"),
]
