"""Writes of workshops (keyword-only functions; the acting user is passed explicitly)."""

from .errors import WorkshopError
from .live import answer_submit, participant_join, question_create, question_set_status
from .minutes import minute_save
from .registrations import (
    check_in_by_code,
    check_in_registration,
    registration_cancel,
    registration_create,
    waiting_list_promote,
    waiting_list_refill,
    walk_in_add,
)
from .suggestions import suggestion_accept, suggestion_reject

__all__ = [
    "WorkshopError",
    "answer_submit",
    "check_in_by_code",
    "check_in_registration",
    "minute_save",
    "participant_join",
    "question_create",
    "question_set_status",
    "registration_cancel",
    "registration_create",
    "suggestion_accept",
    "suggestion_reject",
    "waiting_list_promote",
    "waiting_list_refill",
    "walk_in_add",
]
