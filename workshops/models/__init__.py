"""Models of workshops, one module per subject; import them from here."""

from .live import (
    ANSWER_MAX_CHARS,
    MAX_LIST_ITEMS,
    MAX_OPTIONS,
    RANK_SIZE,
    Answer,
    Participant,
    Question,
    QuestionKind,
    QuestionStatus,
    WorkshopMinute,
)
from .pages import AgendaItemBlock, WorkshopIndexPage, WorkshopKind, WorkshopMaterial, WorkshopPage
from .registrations import Registration, RegistrationStatus
from .suggestions import Suggestion, SuggestionKind, SuggestionStatus

__all__ = [
    "ANSWER_MAX_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_OPTIONS",
    "RANK_SIZE",
    "AgendaItemBlock",
    "Answer",
    "Participant",
    "Question",
    "QuestionKind",
    "QuestionStatus",
    "Registration",
    "RegistrationStatus",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "WorkshopIndexPage",
    "WorkshopKind",
    "WorkshopMaterial",
    "WorkshopMinute",
    "WorkshopPage",
]
