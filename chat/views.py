"""Chat pages: room list, room, joining, history JSON, moderation, reports. Thin: selectors and services."""

import math
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chat import groups, selectors, services
from chat.consumers.rooms import CLOSE_NOT_MEMBER
from chat.forms import MessageForm, MuteForm, ReasonForm
from chat.models import MESSAGE_MAX_CHARS, AlertAnswer, Membership, MembershipStatus

ERROR_TEXTS = {
    # Shown by room.js for the codes of the socket's error frames.
    "too_long": _("El mensaje es demasiado largo."),
    "rate_limited": _("Está enviando muy rápido. Espere unos segundos."),
    "muted": _("Un moderador lo silenció por un tiempo: puede leer, pero no escribir."),
    "not_member": _("Ya no participa en esta sala."),
    "removed": _("Fue retirado de esta sala por moderación."),
    "empty": _("Escriba un mensaje antes de enviarlo."),
    "invalid_text": _("El texto tiene caracteres no válidos."),
    "not_allowed": _("No puede hacer eso."),
    "not_found": _("El mensaje ya no existe."),
}


def _back_to_room(room_id: int):
    return redirect("chat:room_detail", room_id=room_id)


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@login_required
@require_GET
def room_list(request):
    """The person's rooms with unread counts, the neighbourhood suggested for their location, the others."""
    listing = selectors.room_list_for_user(user=request.user)
    suggested = None
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    if lat is not None and lon is not None:
        suggested = selectors.room_suggested_for_point(lat=lat, lon=lon)
    return render(
        request,
        "chat/room_list.html",
        {
            "memberships": listing.memberships,
            "joinable": listing.joinable,
            "suggested": suggested,
            "located": lat is not None and lon is not None,
            "my_room_ids": {m.room_id for m in listing.memberships},
            "can_send_alerts": services.can_send_alerts(request.user),
        },
    )


@login_required
@require_GET
def room_detail(request, room_id: int):
    """The room: the last messages rendered in the page, then the live socket (room.js)."""
    room = selectors.room_for_member(room_id=room_id, user=request.user)
    if room is None:
        room = selectors.room_get(room_id=room_id)
        if room is None:
            raise Http404
        membership = selectors.membership_get(room_id=room_id, user=request.user)
        return render(request, "chat/room_join.html", {"room": room, "membership": membership})
    moderator = room.membership.can_moderate()
    history = selectors.message_history(room=room, for_moderator=moderator)
    if history.messages:
        services.membership_mark_read(room_id=room.pk, by=request.user, message_id=history.messages[-1].pk)
    config = {
        "roomId": room.pk,
        "userId": request.user.pk,
        "moderator": moderator,
        "socketPath": f"/ws/chat/{room.pk}/",
        "historyUrl": reverse("chat:room_history", args=[room.pk]),
        "moderateUrl": reverse("chat:message_moderate", args=[room.pk, 0]),
        "reportUrl": reverse("chat:message_report", args=[room.pk, 0]),
        "alertAnswerUrl": reverse("chat:alert_answer", args=[room.pk, 0]),
        "toReportUrl": reverse("chat:message_to_report", args=[room.pk, 0]),
        "supportUrl": reverse("chat:incident_support", args=[room.pk, 0]),
        "rollCallUrl": reverse("chat:alert_roll_call", args=[room.pk, 0]),
        "answers": [[value, str(label)] for value, label in AlertAnswer.choices],
        "lastId": history.messages[-1].pk if history.messages else 0,
        "maxChars": MESSAGE_MAX_CHARS,
        "closeNotMember": CLOSE_NOT_MEMBER,
        "texts": {
            "sending": _("enviando…"),
            "failed": _("no enviado"),
            "edited": _("editado"),
            "hiddenForYou": _("Oculto por moderación"),
            "moderate": _("Moderar"),
            "edit": _("Editar"),
            "delete": _("Borrar"),
            "confirmDelete": _("¿Borrar este mensaje?"),
            "report": _("Denunciar"),
            "online": _("en línea"),
            "connecting": _("Conectando…"),
            "connected": _("Conectado"),
            "reconnecting": _("Sin conexión. Reintentando…"),
            "closed": _("Ya no puede participar en esta sala."),
            "mutedUntil": _("Silenciado hasta"),
            "alert": _("Aviso"),
            "toReport": _("Convertir en reporte"),
            "affectsMe": _("También me afecta"),
            "seeReport": _("Ver reporte"),
            "status": _("Estado"),
            "affected": _("personas afectadas"),
            "rollCall": _("Ver respuestas"),
            "errors": ERROR_TEXTS,
        },
    }
    return render(
        request,
        "chat/room_detail.html",
        {
            "room": room,
            "membership": room.membership,
            "moderator": moderator,
            "history": history,
            "alerts": selectors.alerts_active_for_room(room=room, user=request.user),
            "incident_cards": selectors.incident_cards_for_room(room=room),
            "answers": AlertAnswer.choices,
            "form": MessageForm(initial={"client_id": secrets.token_urlsafe(12)}),
            "chat_config": config,
        },
    )


@login_required
@require_POST
def room_join(request, room_id: int):
    """Join an open room at once, or ask to join one a leader approves."""
    try:
        membership = services.room_join(room_id=room_id, by=request.user)
    except services.ChatRefused as refused:
        messages.error(request, refused.message)
        return redirect("chat:room_list")
    if membership.status == MembershipStatus.PENDING:
        messages.success(request, _("Solicitud enviada: un dirigente de la sala la revisará."))
    return _back_to_room(room_id)


@login_required
@require_POST
def message_send(request, room_id: int):
    """Send without JavaScript (the page's form); with JavaScript the socket sends instead."""
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(
                room_id=room_id,
                by=request.user,
                body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
            )
        except services.ChatRefused as refused:
            messages.error(request, refused.message)
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return _back_to_room(room_id)


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValueError(value)
    return int(value)


@require_GET
def room_history(request, room_id: int):
    """Messages by id cursor as JSON: `?after=<id>` (resync after a reconnect) or `?before=<id>` (older)."""
    room = selectors.room_for_member(room_id=room_id, user=request.user)
    if room is None:
        return JsonResponse({"error": "not_member", "detail": _("No participa en esta sala.")}, status=403)
    try:
        before, after = _cursor(request.GET.get("before")), _cursor(request.GET.get("after"))
        limit = _cursor(request.GET.get("limit")) or selectors.HISTORY_PAGE
    except ValueError:
        return JsonResponse({"error": "invalid_cursor", "detail": _("Posición no válida.")}, status=400)
    if before is not None and after is not None:
        return JsonResponse(
            {"error": "invalid_cursor", "detail": _("Use «before» o «after», no ambos.")}, status=400
        )
    moderator = room.membership.can_moderate()
    history = selectors.message_history(
        room=room, for_moderator=moderator, before_id=before, after_id=after, limit=limit
    )
    items = []
    for message in history.messages:
        item = groups.message_payload(message)
        if message.author_id != request.user.pk:
            item.pop("client_id")
        if message.hidden:  # only moderators get hidden messages at all
            item.update(hidden=True, hidden_reason=message.hidden_reason)
        items.append(item)
    return JsonResponse({"messages": items, "has_more": history.has_more})


@login_required
@require_http_methods(["GET", "POST"])
def message_moderate(request, room_id: int, message_id: int):
    """For moderators: hide the message with a reason, mute its author for a time, or remove its author."""
    room = selectors.room_moderator_access(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    message = selectors.message_for_moderation(message_id=message_id, room=room)
    if message is None:
        raise Http404
    forms = {
        "hide": ReasonForm(prefix="hide"),
        "mute": MuteForm(prefix="mute"),
        "remove": ReasonForm(prefix="remove"),
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in forms:
        form = (MuteForm if action == "mute" else ReasonForm)(request.POST, prefix=action)
        forms[action] = form
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if action == "hide":
                    services.message_hide(message_id=message.pk, by=request.user, reason=reason)
                    messages.success(request, _("Mensaje ocultado. Queda en el registro de moderación."))
                elif action == "mute":
                    services.member_mute(
                        room_id=room.pk,
                        user_id=message.author_id,
                        by=request.user,
                        hours=form.cleaned_data["hours"],
                        reason=reason,
                    )
                    messages.success(request, _("La persona quedó silenciada."))
                else:
                    services.member_remove(
                        room_id=room.pk, user_id=message.author_id, by=request.user, reason=reason
                    )
                    messages.success(request, _("La persona fue retirada de la sala."))
            except services.ChatRefused as refused:
                messages.error(request, refused.message)
            else:
                return _back_to_room(room.pk)
    return render(request, "chat/message_moderate.html", {"room": room, "message": message, "forms": forms})


@login_required
@require_http_methods(["GET", "POST"])
def message_report(request, room_id: int, message_id: int):
    """A member reports a message to the room's moderators (the municipality if they do not act in time)."""
    room = selectors.room_for_member(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    message = selectors.message_for_moderation(message_id=message_id, room=room)
    if message is None or message.hidden:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report(
                message_id=message.pk, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ChatRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Gracias: los moderadores revisarán el mensaje."))
            return _back_to_room(room.pk)
    return render(request, "chat/message_report.html", {"room": room, "message": message, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def room_members(request, room_id: int):
    """For leaders: approve requests to join, name moderators."""
    room = selectors.room_moderator_access(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    if request.method == "POST":
        target = request.POST.get("membership", "")
        membership = (
            Membership.objects.filter(pk=int(target), room=room).first() if target.isdigit() else None
        )
        try:
            if membership is None:
                raise services.ChatRefused("not_found", _("La persona no existe."))
            if request.POST.get("action") == "approve":
                services.membership_approve(membership_id=membership.pk, by=request.user)
                messages.success(request, _("Ingreso aprobado."))
            elif request.POST.get("action") == "appoint":
                services.moderator_appoint(room_id=room.pk, user_id=membership.user_id, by=request.user)
                messages.success(request, _("Nombrado moderador."))
        except services.ChatRefused as refused:
            messages.error(request, refused.message)
        return redirect("chat:room_members", room_id=room.pk)
    return render(
        request,
        "chat/room_members.html",
        {"room": room, **selectors.room_members_for_leader(room=room)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_reports(request, room_id: int):
    """For moderators and the municipality: open reports of the room and the moderation log."""
    room = selectors.room_moderator_access(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    if request.method == "POST":
        report_id = request.POST.get("report", "")
        try:
            if not report_id.isdigit():
                raise services.ChatRefused("not_found", _("La denuncia no existe."))
            services.report_handle(report_id=int(report_id), by=request.user)
            messages.success(request, _("Denuncia cerrada sin ocultar el mensaje."))
        except services.ChatRefused as refused:
            messages.error(request, refused.message)
        return redirect("chat:room_reports", room_id=room.pk)
    return render(
        request,
        "chat/room_reports.html",
        {
            "room": room,
            "reports": selectors.reports_open_for_room(room=room),
            "log": selectors.moderation_log(room=room)[:200],
        },
    )


@login_required
@require_GET
def escalated_reports(request):
    """For the municipality: reports the moderators did not handle in time, across every room."""
    reports = selectors.reports_escalated(user=request.user)
    if reports is None:
        raise Http404
    return render(request, "chat/escalated_reports.html", {"reports": reports})
