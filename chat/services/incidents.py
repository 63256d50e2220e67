"""The bridge to incidents: a public incident shared in a room (a live card), "this affects me too",
and a message handed to the report form as a draft.

`chat` reads incidents only through `workflows.selectors` and changes them only through
`workflows.services`; it never imports `workflows` models.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from chat import groups
from chat.models import Message, RoomKind, SharedIncident
from chat.services.common import ChatRefused, active_membership

FOLIO_MAX = 20
REPORT_DRAFT_SESSION_KEY = "chat.report_draft"


def _public_incident(folio: str):
    from workflows.selectors import incident_public_get

    incident = incident_public_get(folio=(folio or "").strip().upper()[:FOLIO_MAX])
    # No secret is passed, so sensitive categories are already None; held reports stay out too.
    if incident is None or incident.held_for_review:
        raise ChatRefused("not_found", _("No hay un reporte público con ese folio."))
    return incident


@transaction.atomic
def incident_share(*, room_id: int, folio: str, by) -> SharedIncident:
    """Share a public incident in a room; members see its status card update live. Sharing twice is once."""
    membership = active_membership(room_id=room_id, user=by)
    if membership.is_muted():
        raise ChatRefused("muted", _("Está silenciado en esta sala."))
    incident = _public_incident(folio)
    shared, created = SharedIncident.objects.get_or_create(
        room_id=room_id, incident_id=incident.pk, defaults={"folio": incident.folio, "shared_by": by}
    )
    if created:
        groups.send_on_commit_quietly(
            groups.room_group(room_id),
            groups.chat_incident_card_event(groups.incident_card_payload(incident)),
        )
    return shared


def incident_support_from_room(*, room_id: int, shared_id: int, by) -> int:
    """A member says a shared incident affects them too; returns the supporters count."""
    from workflows.services import SupportRefused, incident_support

    active_membership(room_id=room_id, user=by)
    shared = SharedIncident.objects.filter(pk=shared_id, room_id=room_id).first()
    if shared is None:
        raise ChatRefused("not_found", _("El reporte no está compartido en esta sala."))
    try:
        return incident_support(incident_id=shared.incident_id, user=by).supporters_count
    except SupportRefused as refused:
        raise ChatRefused(refused.code, refused.message) from refused


def message_report_draft(*, room_id: int, message_id: int, by) -> dict:
    """A visible message as a draft for the report form ("turn this message into a report"): its text,
    its location and its photos' ids. The form shows the photos and offers to attach them; they are read
    again, the membership checked, when the report is sent (`chat.selectors.message_photos_for_report`).

    The caller keeps it in the session under REPORT_DRAFT_SESSION_KEY; the report form pre-fills its
    description from there.
    """
    membership = active_membership(room_id=room_id, user=by)
    if membership.room.kind == RoomKind.INCIDENT:
        raise ChatRefused("not_allowed", _("Los mensajes de coordinación no se convierten en reportes."))
    message = Message.objects.filter(pk=message_id, room_id=room_id, hidden=False, deleted=False).first()
    if message is None:
        raise ChatRefused("not_found", _("El mensaje no existe."))
    return {
        "description": message.body,
        "room_id": room_id,
        "message_id": message.pk,
        "latitude": message.latitude,
        "longitude": message.longitude,
        "photo_uids": [str(uid) for uid in message.photos.values_list("uid", flat=True)],
    }
