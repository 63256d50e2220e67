"""Writes on chat rooms, one module per subject; callers import the public names from here."""

from chat.services.alerts import alert_answer, alert_send, can_send_alerts
from chat.services.appeals import appeal_decide, appeal_file
from chat.services.common import ChatRefused, is_municipality
from chat.services.coordination import incident_room_open
from chat.services.incidents import (
    REPORT_DRAFT_SESSION_KEY,
    incident_share,
    incident_support_from_room,
    message_report_draft,
)
from chat.services.messages import (
    PostResult,
    membership_mark_read,
    message_delete,
    message_edit,
    message_post,
)
from chat.services.moderation import (
    member_mute,
    member_readmit,
    member_remove,
    member_unmute,
    message_hide,
    message_report,
    report_handle,
    reports_escalate_overdue,
)
from chat.services.rooms import (
    leader_appoint,
    membership_approve,
    membership_set_roll_call,
    moderator_appoint,
    room_join,
    room_sync_neighbourhoods,
)

__all__ = [
    "appeal_decide",
    "appeal_file",
    "incident_room_open",
    "member_readmit",
    "member_unmute",
    "REPORT_DRAFT_SESSION_KEY",
    "incident_share",
    "incident_support_from_room",
    "message_report_draft",
    "alert_answer",
    "alert_send",
    "can_send_alerts",
    "ChatRefused",
    "PostResult",
    "is_municipality",
    "leader_appoint",
    "member_mute",
    "member_remove",
    "membership_approve",
    "membership_mark_read",
    "membership_set_roll_call",
    "message_delete",
    "message_edit",
    "message_hide",
    "message_post",
    "message_report",
    "moderator_appoint",
    "report_handle",
    "reports_escalate_overdue",
    "room_join",
    "room_sync_neighbourhoods",
]
