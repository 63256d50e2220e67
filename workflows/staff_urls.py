"""Staff pages of workflows, mounted at /personal/ (cooperanet.urls)."""

from django.urls import path

from workflows import staff_views

app_name = "workflows_staff"

urlpatterns = [
    path("tareas/mapa/", staff_views.task_map, name="task_map"),
    path("casos/<str:folio>/acta.pdf", staff_views.incident_acta_pdf, name="acta_pdf"),
    path("avisos/", staff_views.notification_list, name="notifications"),
    path("avisos/leido/", staff_views.notification_mark_read, name="notifications_mark_read"),
]
