"""Websocket routes (all under ws/)."""

from django.urls import path

from chat import consumers

websocket_urlpatterns = [
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
    path("ws/incidents/<str:folio>/", consumers.IncidentTrackingConsumer.as_asgi()),
    path("ws/chat/<int:room_id>/", consumers.RoomConsumer.as_asgi()),
]
