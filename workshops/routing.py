"""Websocket routes of live workshops (under ws/)."""

from django.urls import path

from workshops.consumers import ParticipantConsumer, ScreenConsumer

websocket_urlpatterns = [
    path("ws/talleres/<int:workshop_id>/pantalla/", ScreenConsumer.as_asgi()),
    path("ws/talleres/<int:workshop_id>/participante/", ParticipantConsumer.as_asgi()),
]
