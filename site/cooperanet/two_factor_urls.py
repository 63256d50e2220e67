"""Two-factor screens under /seguridad/ (no namespace: the middleware reverses them by name)."""

from django.urls import path

from cooperanet import two_factor

urlpatterns = [
    path("activar/", two_factor.two_factor_enroll, name="two_factor_enroll"),
    path("verificar/", two_factor.two_factor_verify, name="two_factor_verify"),
]
