"""Participants' phones: join with the workshop code, then answer the open questions (no account)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workshops import selectors, services
from workshops.forms import CodeForm
from workshops.models import WorkshopPage
from workshops.participants import participant_from_session, remember


@require_http_methods(["GET", "POST"])
def join(request):
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("codigo", "")[:32]})
    if request.method == "POST" and form.is_valid():
        try:
            workshop, participant = services.participant_join(code=form.cleaned_data["code"])
        except services.WorkshopError as refused:
            form.add_error("code", refused.message)
        else:
            remember(request.session, participant)
            return redirect("workshops:participate", workshop_id=workshop.pk)
    return render(request, "workshops/join.html", {"form": form}, status=400 if form.errors else 200)


def participate(request, workshop_id: int):
    workshop = get_object_or_404(WorkshopPage.objects.live(), pk=workshop_id)
    if participant_from_session(request.session, workshop_id=workshop.pk) is None:
        return redirect("workshops:join")
    context = {"workshop": workshop, "questions": selectors.open_questions(workshop_id=workshop.pk)}
    return render(request, "workshops/participate.html", context)


def _form_value(request, kind: str):
    if kind == "list":
        return request.POST.get("value", "")
    if kind == "rank":
        return [value for value in request.POST.getlist("rank") if value != ""]
    if kind in ("propose_category", "propose_actor"):
        return {"name": request.POST.get("value", ""), "description": request.POST.get("description", "")}
    return request.POST.get("value", "")


@require_POST
def answer(request, workshop_id: int, question_id: int):
    """The form fallback of the socket's answer frame (phones without JavaScript)."""
    participant = participant_from_session(request.session, workshop_id=workshop_id)
    if participant is None:
        raise Http404
    kind = request.POST.get("kind", "")
    from django.contrib import messages

    try:
        services.answer_submit(
            participant=participant, question_id=question_id, value=_form_value(request, kind)
        )
    except services.WorkshopError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("¡Gracias! Su respuesta quedó guardada."))
    return redirect("workshops:participate", workshop_id=workshop_id)
