"""Incident photos, included in the "portal" namespace (portal:incident_photo, …_thumbnail).

Optional `?s=<tracking secret>` opens the photos of a sensitive case to whoever holds its tracking link.
"""

from django.urls import path

from portal import photo_views

urlpatterns = [
    path("fotos/<uuid:uid>/", photo_views.incident_photo, name="incident_photo"),
    path(
        "fotos/<uuid:uid>/miniatura/", photo_views.incident_photo_thumbnail, name="incident_photo_thumbnail"
    ),
]
