"""Writes on incidents, one module per subject; callers import the public names from here."""

from workflows.services.incidents import (
    incident_change_status,
    incident_report,
    incident_set_priority,
)

__all__ = [
    "incident_change_status",
    "incident_report",
    "incident_set_priority",
]
