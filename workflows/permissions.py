"""Object permissions on incidents: a global permission counts only inside the user's actors.

Django's ModelBackend answers global permissions ("may triage"); this backend answers them for one
incident ("may triage *this* incident"): the user must hold the global permission and the incident must be
routed to one of their actors (sensitive ones also need `view_sensitive_incident`). viewflow asks it when a
task is taken or run (`Permission(..., obj=incident_of_process)`).
"""

from django.contrib.auth.backends import BaseBackend

from workflows.models import Incident


def incident_of_process(process) -> Incident | None:
    """The incident a resolution process works on (its artifact)."""
    return process.artifact


def user_actor_ids(user) -> list[int]:
    # Cached on the user object for the request: task lists ask once per row.
    if not hasattr(user, "_cooperanet_actor_ids"):
        user._cooperanet_actor_ids = list(user.actor_memberships.values_list("actor_id", flat=True))
    return user._cooperanet_actor_ids


def incident_in_scope(user, incident: Incident) -> bool:
    """Whether the incident is routed to one of the user's actors (and, if sensitive, they may see those)."""
    if user.is_superuser:
        return True
    if incident.responsible_actor_id not in user_actor_ids(user):
        return False
    return not incident.category.sensitive or user.has_perm("workflows.view_sensitive_incident")


class ActorScopedBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not isinstance(obj, Incident) or not user_obj.is_active or not perm.startswith("workflows."):
            return False
        return user_obj.has_perm(perm) and incident_in_scope(user_obj, obj)
