"""Public directory of actors (included in the "portal" namespace: portal:directory_index, …)."""

from django.urls import path

from portal import directory_views

urlpatterns = [
    path("directorio/", directory_views.directory_index, name="directory_index"),
    path("directorio/<slug:slug>/", directory_views.actor_detail, name="actor_detail"),
]
