"""Writes on incidents, one module per subject; callers import the public names from here."""

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
from workflows.services.supporters import SupportRefused, SupportResult, incident_support

__all__ = [
    "IdempotencyError",
    "IdempotencyInFlight",
    "IdempotencyKeyInvalid",
    "IdempotencyMismatch",
    "RebuiltPhoto",
    "SupportRefused",
    "SupportResult",
    "idempotency_key_validate",
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
