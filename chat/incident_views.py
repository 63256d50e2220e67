"""The bridge to incidents: an incident's coordination room for its staff; from a neighbourhood room, share
a report's folio, "this affects me too", message → report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chat import selectors, services
from chat.views import render_room


def _back(room_id: int):
    return redirect("chat:room_detail", room_id=room_id)


@login_required
@require_POST
def incident_share(request, room_id: int):
    """Share a public report in the room by its folio; its status card then updates live."""
    try:
        shared = services.incident_share(
            room_id=room_id, folio=request.POST.get("folio", ""), by=request.user
        )
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Reporte %(folio)s compartido en la sala.") % {"folio": shared.folio})
    return _back(room_id)


@login_required
@require_POST
def incident_support(request, room_id: int, shared_id: int):
    """ "This affects me too" on a report shared in the room."""
    try:
        count = services.incident_support_from_room(room_id=room_id, shared_id=shared_id, by=request.user)
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Anotado. Ya son %(count)s personas afectadas.") % {"count": count})
    return _back(room_id)


@login_required
@require_POST
def message_to_report(request, room_id: int, message_id: int):
    """Hand a message's text to the report form as a draft, then let the citizen choose the category."""
    try:
        draft = services.message_report_draft(room_id=room_id, message_id=message_id, by=request.user)
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
        return _back(room_id)
    request.session[services.REPORT_DRAFT_SESSION_KEY] = draft
    messages.success(request, _("Elija de qué se trata: el texto del mensaje irá en la descripción."))
    return redirect("portal:report_start")


@login_required
@require_GET
def incident_room(request, incident_id: int):
    """The live coordination thread of the staff working an incident (created the first time it is opened).

    Staff of the involved actors write, auditors read; anyone else (citizens included) gets 404.
    """
    try:
        room = services.incident_room_open(incident_id=incident_id, by=request.user)
    except services.ChatRefused as refused:
        raise Http404 from refused
    selectors.room_read_log(room=room, user=request.user)
    return render_room(request, room)
