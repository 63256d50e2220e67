"""The trainer's screens: registrations and attendance, the door, live questions, results and the minute."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workshops import selectors, services
from workshops.forms import CodeForm, OutcomesForm, QuestionForm, WalkInForm
from workshops.models import Question, QuestionStatus, RegistrationStatus
from workshops.views.common import csv_cell, trainer_view, workshop_for_trainer


@trainer_view
def manage(request, workshop_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    registrations = list(selectors.registrations_of(workshop=workshop))
    context = {
        "workshop": workshop,
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
        "attendance": sum(1 for r in registrations if r.checked_in_at),
        "seats_left": selectors.seats_left(workshop=workshop),
        "walk_in_form": WalkInForm(),
    }
    return render(request, "workshops/trainer/manage.html", context)


@require_POST
@trainer_view
def check_in_from_list(request, workshop_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    registration_id = request.POST.get("registration", "")
    try:
        registration, new = services.check_in_registration(
            workshop_id=workshop.pk,
            registration_id=int(registration_id) if registration_id.isdigit() else 0,
            user=request.user,
        )
    except services.WorkshopError as refused:
        messages.error(request, refused.message)
    else:
        if new:
            messages.success(request, _("Llegada registrada: %(name)s.") % {"name": registration.name})
        else:
            messages.info(
                request, _("%(name)s ya tenía su llegada registrada.") % {"name": registration.name}
            )
    return redirect("workshops:manage", workshop_id=workshop.pk)


@require_POST
@trainer_view
def walk_in(request, workshop_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise los datos: falta el nombre o hay un dato no válido."))
        return redirect("workshops:manage", workshop_id=workshop.pk)
    try:
        registration = services.walk_in_add(workshop_id=workshop.pk, user=request.user, **form.cleaned_data)
    except services.WorkshopError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Agregada/o en la puerta: %(name)s.") % {"name": registration.name})
    return redirect("workshops:manage", workshop_id=workshop.pk)


@require_http_methods(["GET", "POST"])
@trainer_view
def door(request, workshop_id: int):
    """Check-in at the door: type the code or scan the person's QR (which opens this page with the code)."""
    workshop = workshop_for_trainer(request, workshop_id)
    result = None
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                registration, new = services.check_in_by_code(
                    workshop_id=workshop.pk, code=form.cleaned_data["code"], user=request.user
                )
            except services.WorkshopError as refused:
                result = {"ok": False, "message": refused.message}
            else:
                message = _("Bienvenida/o, %(name)s.") if new else _("%(name)s ya había llegado.")
                result = {"ok": True, "message": message % {"name": registration.name}}
            form = CodeForm()
        else:
            result = {"ok": False, "message": _("Escriba el código de la inscripción.")}
    else:
        form = CodeForm(initial={"code": request.GET.get("codigo", "")[:32]})
    return render(
        request, "workshops/trainer/door.html", {"workshop": workshop, "form": form, "result": result}
    )


@trainer_view
def registrations_csv(request, workshop_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscripciones-taller-{workshop.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow(
        [
            _("código"),
            _("nombre"),
            _("teléfono"),
            _("correo"),
            _("barrio"),
            _("organización"),
            _("estado"),
            _("inscrita/o el"),
            _("llegó sin inscripción"),
            _("asistió"),
        ]
    )
    local = timezone.localtime
    for r in selectors.registrations_of(workshop=workshop):
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    r.code,
                    r.name,
                    r.phone,
                    r.email,
                    r.neighbourhood.name if r.neighbourhood else "",
                    r.organisation,
                    r.get_status_display(),
                    local(r.created_at).strftime("%Y-%m-%d %H:%M"),
                    _("sí") if r.walk_in else _("no"),
                    local(r.checked_in_at).strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
                )
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
@trainer_view
def live(request, workshop_id: int):
    """The trainer's control: write questions, open and close them, open the projected screen."""
    workshop = workshop_for_trainer(request, workshop_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(workshop=workshop, user=request.user, **form.cleaned_data)
        except services.WorkshopError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Pregunta guardada. Ábrala cuando quiera que respondan."))
            return redirect("workshops:live", workshop_id=workshop.pk)
    questions = Question.objects.filter(workshop=workshop).order_by("created_at", "pk")
    join_url = request.build_absolute_uri("/talleres/participar/")
    return render(
        request,
        "workshops/trainer/live.html",
        {"workshop": workshop, "form": form, "questions": questions, "join_url": join_url},
    )


@require_POST
@trainer_view
def question_status(request, workshop_id: int, question_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    status = request.POST.get("status", "")
    try:
        services.question_set_status(
            workshop=workshop, question_id=question_id, status=status, user=request.user
        )
    except services.WorkshopError as refused:
        messages.error(request, refused.message)
    return redirect("workshops:live", workshop_id=workshop.pk)


@trainer_view
def screen(request, workshop_id: int, question_id: int):
    """The projectable results of one question, updated live over the websocket."""
    workshop = workshop_for_trainer(request, workshop_id)
    question = Question.objects.filter(workshop=workshop, pk=question_id).first()
    if question is None:
        from django.http import Http404

        raise Http404
    context = {
        "workshop": workshop,
        "question": question,
        "results": selectors.question_results(question=question),
        "is_rank": question.kind == "rank",
        "is_open": question.status == QuestionStatus.OPEN,
    }
    return render(request, "workshops/trainer/screen.html", context)


@trainer_view
def answers_csv(request, workshop_id: int):
    workshop = workshop_for_trainer(request, workshop_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="respuestas-taller-{workshop.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("pregunta"), _("tipo"), _("participante"), _("respuesta"), _("hora")])
    for question, participant_id, text, created_at in selectors.answer_rows(workshop=workshop):
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    question.prompt,
                    question.get_kind_display(),
                    participant_id,
                    text,
                    timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
                )
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
@trainer_view
def minute(request, workshop_id: int):
    """The minute (acta): printable HTML with attendance, organisations, results; outcomes editable."""
    workshop = workshop_for_trainer(request, workshop_id)
    data = selectors.minute_data(workshop=workshop)
    form = OutcomesForm(request.POST or None, initial={"outcomes": data["outcomes"]})
    if request.method == "POST" and form.is_valid():
        try:
            services.minute_save(workshop=workshop, outcomes=form.cleaned_data["outcomes"], user=request.user)
        except services.WorkshopError as refused:
            form.add_error("outcomes", refused.message)
        else:
            messages.success(request, _("Acta guardada."))
            return redirect("workshops:minute", workshop_id=workshop.pk)
    return render(request, "workshops/trainer/minute.html", {"workshop": workshop, "form": form, **data})
