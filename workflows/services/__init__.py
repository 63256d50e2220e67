"""Writes on incidents, one module per subject; callers import the public names from here."""

from workflows.services.confirmation import (
    ConfirmationAnswer,
    confirmation_window_open,
    incident_close_unanswered,
    incident_confirm,
    incident_contest,
)
from workflows.services.deadlines import TickResult, deadline_tick
from workflows.services.idempotency import (
    IdempotencyError,
    IdempotencyInFlight,
    IdempotencyKeyInvalid,
    IdempotencyMismatch,
    idempotency_key_validate,
    idempotency_purge,
    idempotent,
    request_fingerprint,
)
from workflows.services.incidents import (
    incident_change_status,
    incident_report,
    incident_set_priority,
)
from workflows.services.photos import RebuiltPhoto, incident_photo_add, photo_rebuild
from workflows.services.resolution import incident_resolve
from workflows.services.steps import (
    AuthorityDecision,
    incident_authority_decide,
    incident_inspect,
    incident_wait_for_decision,
)
from workflows.services.supporters import SupportRefused, SupportResult, incident_support
from workflows.services.triage import (
    incident_accept,
    incident_hand_over,
    incident_merge_duplicate,
    incident_recategorise,
    incident_reject,
)

__all__ = [
    "ConfirmationAnswer",
    "confirmation_window_open",
    "incident_close_unanswered",
    "incident_confirm",
    "incident_contest",
    "AuthorityDecision",
    "incident_authority_decide",
    "incident_inspect",
    "incident_wait_for_decision",
    "TickResult",
    "deadline_tick",
    "IdempotencyError",
    "IdempotencyInFlight",
    "IdempotencyKeyInvalid",
    "IdempotencyMismatch",
    "RebuiltPhoto",
    "SupportRefused",
    "SupportResult",
    "idempotency_key_validate",
    "incident_accept",
    "incident_hand_over",
    "incident_merge_duplicate",
    "incident_recategorise",
    "incident_reject",
    "incident_resolve",
    "idempotency_purge",
    "idempotent",
    "incident_change_status",
    "incident_photo_add",
    "incident_report",
    "incident_set_priority",
    "incident_support",
    "photo_rebuild",
    "request_fingerprint",
]
