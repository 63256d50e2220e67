"""Citizen site URLs (namespace "portal")."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("ingresar/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    # The public directory of actors and joint attention sessions (portal:directory_*, portal:session_*).
    path("", include("portal.directory_urls")),
]
