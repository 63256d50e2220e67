"""Workshop sign-ups, check-in and the live screens (under /talleres/)."""

from django.urls import path

from workshops.views import participant, public, trainer

app_name = "workshops"

urlpatterns = [
    path("calendario.ics", public.workshops_ics, name="calendar"),
    path("participar/", participant.join, name="join"),
    path("participar/<int:workshop_id>/", participant.participate, name="participate"),
    path("participar/<int:workshop_id>/<int:question_id>/", participant.answer, name="answer"),
    path("inscripcion/<str:secret>/", public.registration_detail, name="registration"),
    path("inscripcion/<str:secret>/anular/", public.registration_cancel, name="cancel"),
    path("<int:workshop_id>/inscribirse/", public.register, name="register"),
    path("<int:workshop_id>/calendario.ics", public.workshop_ics, name="workshop_calendar"),
    path("<int:workshop_id>/gestion/", trainer.manage, name="manage"),
    path("<int:workshop_id>/gestion/llegada/", trainer.check_in_from_list, name="check_in"),
    path("<int:workshop_id>/gestion/sin-inscripcion/", trainer.walk_in, name="walk_in"),
    path("<int:workshop_id>/puerta/", trainer.door, name="door"),
    path("<int:workshop_id>/inscripciones.csv", trainer.registrations_csv, name="registrations_csv"),
    path("<int:workshop_id>/en-vivo/", trainer.live, name="live"),
    path(
        "<int:workshop_id>/en-vivo/<int:question_id>/estado/", trainer.question_status, name="question_status"
    ),
    path("<int:workshop_id>/en-vivo/<int:question_id>/pantalla/", trainer.screen, name="screen"),
    path("<int:workshop_id>/respuestas.csv", trainer.answers_csv, name="answers_csv"),
    path("<int:workshop_id>/acta/", trainer.minute, name="minute"),
]
