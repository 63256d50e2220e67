"""Alert pages: sending an alert (authorities, agencies), answering it, a room's roll call (leaders)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chat import selectors, services
from chat.forms import AlertForm, AnswerForm


@login_required
@require_http_methods(["GET", "POST"])
def alert_new(request):
    """An authority or agency sends an alert to the rooms of the neighbourhoods it affects."""
    if not services.can_send_alerts(request.user):
        raise Http404
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_send(
                by=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                neighbourhood_ids=form.neighbourhood_ids(),
                hours=form.cleaned_data["hours"],
            )
        except services.ChatRefused as refused:
            form.add_error(None, refused.message)
        else:
            count = alert.rooms.count()
            messages.success(
                request,
                ngettext("Aviso enviado a %(count)s sala.", "Aviso enviado a %(count)s salas.", count)
                % {"count": count},
            )
            return redirect("chat:alert_new")
    return render(request, "chat/alert_new.html", {"form": form})


@login_required
@require_POST
def alert_answer(request, room_id: int, alert_id: int):
    """A member answers the roll call: received, I'm OK, I need help."""
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Respuesta no válida."))
        return redirect("chat:room_detail", room_id=room_id)
    try:
        services.alert_answer(alert_id=alert_id, by=request.user, answer=form.cleaned_data["answer"])
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Gracias, su respuesta quedó registrada."))
    return redirect("chat:room_detail", room_id=room_id)


@login_required
@require_POST
def roll_call_opt_in(request, room_id: int):
    """A member chooses whether the room's leaders may see if they answered the roll call."""
    try:
        services.membership_set_roll_call(
            room_id=room_id, by=request.user, opt_in=request.POST.get("opt_in") == "1"
        )
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
    return redirect("chat:room_detail", room_id=room_id)


@login_required
@require_GET
def alert_roll_call(request, room_id: int, alert_id: int):
    """For the room's leaders and moderators: answers to an alert and who opted in but has not answered."""
    room = selectors.room_moderator_access(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    roll_call = selectors.alert_roll_call(alert_id=alert_id, room=room)
    if roll_call is None:
        raise Http404
    return render(request, "chat/alert_roll_call.html", {"room": room, "roll_call": roll_call})
