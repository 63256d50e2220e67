"""Models of cms_content, one module per subject; import them from here."""

from .actors import Actor, ActorGroup, ActorMembership, ActorService, ServiceMode
from .neighbourhoods import Neighbourhood
from .pages import HelpIndexPage, HelpPage, HomePage
from .sessions import AttentionSessionIndexPage, AttentionSessionPage, AttentionSessionParticipant
from .taxonomy import (
    CategoryRouting,
    CategoryWorkflowSettings,
    DeadlineUnit,
    FlowKind,
    IncidentCategory,
    Priority,
)

__all__ = [
    "Actor",
    "ActorGroup",
    "ActorMembership",
    "ActorService",
    "AttentionSessionIndexPage",
    "AttentionSessionPage",
    "AttentionSessionParticipant",
    "CategoryRouting",
    "CategoryWorkflowSettings",
    "DeadlineUnit",
    "FlowKind",
    "HelpIndexPage",
    "HelpPage",
    "HomePage",
    "IncidentCategory",
    "Neighbourhood",
    "Priority",
    "ServiceMode",
]
