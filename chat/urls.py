"""Chat pages (namespace "chat"), mounted at /chat/; the sockets are in routing.py under /ws/chat/."""

from django.urls import path

from chat import alert_views, appeal_views, incident_views, photo_views, views

app_name = "chat"

urlpatterns = [
    path("", views.room_list, name="room_list"),
    path("denuncias/", views.escalated_reports, name="escalated_reports"),
    path("avisos/nuevo/", alert_views.alert_new, name="alert_new"),
    path("apelaciones/", appeal_views.appeal_list, name="appeal_list"),
    path("apelaciones/revisar/", appeal_views.appeal_review, name="appeal_review"),
    path("fotos/<uuid:uid>/", photo_views.message_photo, name="message_photo"),
    path("fotos/<uuid:uid>/miniatura/", photo_views.message_photo_thumbnail, name="message_photo_thumbnail"),
    path("incidentes/<int:incident_id>/", incident_views.incident_room, name="incident_room"),
    path("<int:room_id>/", views.room_detail, name="room_detail"),
    path("<int:room_id>/unirse/", views.room_join, name="room_join"),
    path("<int:room_id>/enviar/", views.message_send, name="message_send"),
    path("<int:room_id>/historial/", views.room_history, name="room_history"),
    path("<int:room_id>/integrantes/", views.room_members, name="room_members"),
    path("<int:room_id>/moderacion/", views.room_reports, name="room_reports"),
    path("<int:room_id>/lista/", alert_views.roll_call_opt_in, name="roll_call_opt_in"),
    path("<int:room_id>/avisos/<int:alert_id>/", alert_views.alert_roll_call, name="alert_roll_call"),
    path("<int:room_id>/avisos/<int:alert_id>/responder/", alert_views.alert_answer, name="alert_answer"),
    path("<int:room_id>/reportes/compartir/", incident_views.incident_share, name="incident_share"),
    path(
        "<int:room_id>/reportes/<int:shared_id>/me-afecta/",
        incident_views.incident_support,
        name="incident_support",
    ),
    path(
        "<int:room_id>/mensajes/<int:message_id>/a-reporte/",
        incident_views.message_to_report,
        name="message_to_report",
    ),
    path("<int:room_id>/mensajes/<int:message_id>/moderar/", views.message_moderate, name="message_moderate"),
    path("<int:room_id>/mensajes/<int:message_id>/denunciar/", views.message_report, name="message_report"),
]
