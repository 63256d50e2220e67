"""Writes on incidents, one module per subject; callers import the public names from here."""

from workflows.services.incidents import (
    incident_change_status,
    incident_report,
    incident_set_priority,
)
from workflows.services.photos import RebuiltPhoto, incident_photo_add, photo_rebuild

__all__ = [
    "RebuiltPhoto",
    "incident_change_status",
    "incident_photo_add",
    "incident_report",
    "incident_set_priority",
    "photo_rebuild",
]
