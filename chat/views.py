"""Chat pages: room list, room, joining, history JSON, moderation, reports. Thin: selectors and services."""

import math
import secrets
from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chat import groups, selectors, services
from chat.consumers.rooms import CLOSE_NOT_MEMBER, ROOM_ERROR_TEXTS
from chat.forms import LeaderTermForm, MessageForm, MuteForm, ReasonForm
from chat.models import MESSAGE_MAX_CHARS, AlertAnswer, Membership, MembershipStatus, RoomKind

ROOM_TEXTS = {
    "sending": gettext_lazy("enviando…"),
    "failed": gettext_lazy("no enviado"),
    "edited": gettext_lazy("editado"),
    "hiddenForYou": gettext_lazy("Oculto por moderación"),
    "moderate": gettext_lazy("Moderar"),
    "edit": gettext_lazy("Editar"),
    "delete": gettext_lazy("Borrar"),
    "confirmDelete": gettext_lazy("¿Borrar este mensaje?"),
    "report": gettext_lazy("Denunciar"),
    "online": gettext_lazy("en línea"),
    "connecting": gettext_lazy("Conectando…"),
    "connected": gettext_lazy("Conectado"),
    "reconnecting": gettext_lazy("Sin conexión. Reintentando…"),
    "closed": gettext_lazy("Ya no puede participar en esta sala."),
    "mutedUntil": gettext_lazy("Silenciado hasta"),
    "unmuted": gettext_lazy("Ya puede volver a escribir."),
    "alert": gettext_lazy("Aviso"),
    "toReport": gettext_lazy("Convertir en reporte"),
    "affectsMe": gettext_lazy("También me afecta"),
    "seeReport": gettext_lazy("Ver reporte"),
    "status": gettext_lazy("Estado"),
    "affected": gettext_lazy("personas afectadas"),
    "rollCall": gettext_lazy("Ver respuestas"),
    "photoAlt": gettext_lazy("Foto %(number)s del mensaje"),
    "withLocation": gettext_lazy("📍 Con ubicación en el mapa"),
    "addLocation": gettext_lazy("Agregar mi ubicación"),
    "removeLocation": gettext_lazy("Quitar la ubicación"),
    "locating": gettext_lazy("Buscando su ubicación…"),
    "locationAdded": gettext_lazy("Ubicación agregada."),
    "noLocation": gettext_lazy("No se pudo obtener su ubicación. Revise el permiso del navegador."),
    "photoOffline": gettext_lazy("No se pudo enviar: revise su conexión e intente de nuevo."),
    "errors": ROOM_ERROR_TEXTS,
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
            "municipality": services.is_municipality(request.user),
            "oversight": selectors.rooms_for_oversight(user=request.user),
        },
    )


@login_required
@require_GET
def room_detail(request, room_id: int):
    """The room: the last messages rendered in the page, then the live socket (room.js)."""
    room = selectors.room_for_member(room_id=room_id, user=request.user)
    if room is None:
        room = selectors.room_get(room_id=room_id)
        # A coordination room is not even named to someone who may not open it.
        if room is None or room.kind == RoomKind.INCIDENT:
            raise Http404
        membership = selectors.membership_get(room_id=room_id, user=request.user)
        return render(request, "chat/room_join.html", {"room": room, "membership": membership})
    if room.kind == RoomKind.INCIDENT:
        return redirect("chat:incident_room", incident_id=room.incident_id)
    return render_room(request, room)


def render_room(request, room):
    """The room page of a member (`room.membership` attached), for neighbourhood and coordination rooms."""
    moderator = room.membership.can_moderate()
    coordination = room.kind == RoomKind.INCIDENT
    synced_at = selectors.now_ms()
    history = selectors.message_history(room=room, for_moderator=moderator)
    if history.messages:
        services.membership_mark_read(room_id=room.pk, by=request.user, message_id=history.messages[-1].pk)
    config = {
        "roomId": room.pk,
        "userId": request.user.pk,
        "moderator": moderator,
        "coordination": coordination,
        "readOnly": bool(getattr(room, "read_only", False)),
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
        "syncedAt": synced_at,
        "maxChars": MESSAGE_MAX_CHARS,
        "closeNotMember": CLOSE_NOT_MEMBER,
        "texts": ROOM_TEXTS,
    }
    return render(
        request,
        "chat/room_detail.html",
        {
            "room": room,
            "membership": room.membership,
            "moderator": moderator,
            "coordination": coordination,
            "read_only": config["readOnly"],
            "history": history,
            "alerts": [] if coordination else selectors.alerts_active_for_room(room=room, user=request.user),
            "incident_cards": [] if coordination else selectors.incident_cards_for_room(room=room),
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


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def message_send(request, room_id: int):
    """Send over HTTP: the page's form without JavaScript, or room.js when the message has photos or a
    location (`Accept: application/json`: the answer is the stored message, or the refusal and its text).
    Members receive it live over the socket either way."""
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        detail = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if _wants_json(request):
            return JsonResponse({"error": "invalid", "detail": detail}, status=400)
        messages.error(request, detail)
        return _back_to_room(room_id)
    data = form.cleaned_data
    try:
        result = services.message_post(
            room_id=room_id,
            by=request.user,
            body=data["body"],
            client_id=data["client_id"],
            photos=data["photos"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )
    except services.ChatRefused as refused:
        if _wants_json(request):
            status = {"not_member": 403, "removed": 403, "muted": 403, "rate_limited": 429}.get(
                refused.code, 400
            )
            return JsonResponse({"error": refused.code, "detail": refused.message}, status=status)
        messages.error(request, refused.message)
        return _back_to_room(room_id)
    if _wants_json(request):
        return JsonResponse(
            {"message": groups.message_payload(result.message)}, status=201 if result.created else 200
        )
    return _back_to_room(room_id)


def _cursor(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 18:
        raise ValueError(value)
    return int(value)


@require_GET
def room_history(request, room_id: int):
    """Messages as JSON, by id cursor: `?after=<id>` (resync after a reconnect) or `?before=<id>` (older);
    or `?changed_since=<epoch ms>`: what was edited, deleted, hidden or restored since the client's last
    sync, with the `synced_at` to send next time."""
    room = selectors.room_for_member(room_id=room_id, user=request.user)
    if room is None:
        return JsonResponse({"error": "not_member", "detail": _("No participa en esta sala.")}, status=403)
    try:
        before, after = _cursor(request.GET.get("before")), _cursor(request.GET.get("after"))
        changed_since = _cursor(request.GET.get("changed_since"))
        limit = _cursor(request.GET.get("limit")) or selectors.HISTORY_PAGE
    except ValueError:
        return JsonResponse({"error": "invalid_cursor", "detail": _("Posición no válida.")}, status=400)
    if sum(cursor is not None for cursor in (before, after, changed_since)) > 1:
        return JsonResponse(
            {"error": "invalid_cursor", "detail": _("Use «before», «after» o «changed_since», solo uno.")},
            status=400,
        )
    selectors.room_read_log(room=room, user=request.user)
    moderator = room.membership.can_moderate()
    if changed_since is not None:
        return _changes(request, room, since_ms=changed_since, moderator=moderator)
    history = selectors.message_history(
        room=room, for_moderator=moderator, before_id=before, after_id=after, limit=limit
    )
    items = [_history_item(message, user=request.user) for message in history.messages]
    return JsonResponse({"messages": items, "has_more": history.has_more})


def _history_item(message, *, user) -> dict:
    item = groups.message_payload(message)
    if message.author_id != user.pk:
        item.pop("client_id")
    if message.hidden:  # only moderators get hidden messages at all
        item.update(hidden=True, hidden_reason=message.hidden_reason)
    return item


def _changes(request, room, *, since_ms: int, moderator: bool):
    synced_at = selectors.now_ms()
    try:
        since = datetime.fromtimestamp(since_ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return JsonResponse({"error": "invalid_cursor", "detail": _("Posición no válida.")}, status=400)
    changes = selectors.message_changes_since(room=room, since=since)
    items = []
    for message in changes.messages:
        if message.deleted:
            items.append({"id": message.pk, "deleted": True})
        elif message.hidden and not moderator:
            # Members learn only that it is gone: never its text, author or the reason.
            items.append({"id": message.pk, "hidden": True})
        else:
            items.append(_history_item(message, user=request.user))
    return JsonResponse({"changes": items, "complete": changes.complete, "synced_at": synced_at})


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
    """For leaders and moderators: approve requests, name moderators, lift mutes and removals; for the
    municipality also appoint leaders or renew their term."""
    room = selectors.room_moderator_access(room_id=room_id, user=request.user)
    if room is None:
        raise Http404
    if request.method == "POST":
        try:
            _members_action(request, room)
        except services.ChatRefused as refused:
            messages.error(request, refused.message)
        return redirect("chat:room_members", room_id=room.pk)
    membership = room.membership
    return render(
        request,
        "chat/room_members.html",
        {
            "room": room,
            "can_lead": services.is_municipality(request.user)
            or (membership is not None and membership.is_leader()),
            "municipality": services.is_municipality(request.user),
            "leader_form": LeaderTermForm(),
            **selectors.room_members_for_leader(room=room),
        },
    )


def _members_action(request, room) -> None:
    target = request.POST.get("membership", "")
    membership = Membership.objects.filter(pk=int(target), room=room).first() if target.isdigit() else None
    if membership is None:
        raise services.ChatRefused("not_found", _("La persona no existe."))
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    if action == "approve":
        services.membership_approve(membership_id=membership.pk, by=request.user)
        messages.success(request, _("Ingreso aprobado."))
    elif action == "appoint":
        services.moderator_appoint(room_id=room.pk, user_id=membership.user_id, by=request.user)
        messages.success(request, _("Nombrado moderador."))
    elif action == "unmute":
        services.member_unmute(room_id=room.pk, user_id=membership.user_id, by=request.user, reason=reason)
        messages.success(request, _("La persona ya puede volver a escribir."))
    elif action == "readmit":
        services.member_readmit(room_id=room.pk, user_id=membership.user_id, by=request.user, reason=reason)
        messages.success(request, _("La persona volvió a la sala."))
    elif action == "leader":
        form = LeaderTermForm(request.POST)
        if not form.is_valid():
            raise services.ChatRefused("invalid", _("Elija la fecha en que termina el periodo."))
        services.leader_appoint(
            room_id=room.pk,
            user_id=membership.user_id,
            term_ends=form.cleaned_data["term_ends"],
            by=request.user,
        )
        messages.success(
            request,
            _("Dirigente nombrado hasta el %(date)s.")
            % {"date": form.cleaned_data["term_ends"].strftime("%d-%m-%Y")},
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
