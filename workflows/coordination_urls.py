"""Coordination screens for staff, mounted at /coordinacion/."""

from django.urls import path

from workflows import coordination_views as views

app_name = "coordination"

urlpatterns = [
    path("", views.subtask_list, name="list"),
    path("caso/<int:incident_id>/", views.incident_coordination, name="incident"),
    path("caso/<int:incident_id>/tarea/nueva/", views.subtask_add, name="subtask_add"),
    path("tarea/<int:subtask_id>/acusar/", views.subtask_acknowledge, name="subtask_acknowledge"),
    path("tarea/<int:subtask_id>/terminar/", views.subtask_complete, name="subtask_complete"),
    path("tarea/<int:subtask_id>/derivar/", views.subtask_refer, name="subtask_refer"),
]
