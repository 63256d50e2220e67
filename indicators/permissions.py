"""Who sees which internal figures: managers their actors; authority, auditors and admins everything."""

from django.core.exceptions import PermissionDenied

ALL = None  # scope marker: every actor


def staff_actor_scope(*, user) -> tuple[int, ...] | None:
    """The actors whose figures this user may read (None = all); PermissionDenied for anyone else."""
    if not user.is_authenticated:
        raise PermissionDenied
    if (
        user.is_superuser
        or user.has_perm("workflows.audit_incident")
        or user.has_perm("workflows.decide_incident")
    ):
        return ALL
    if user.has_perm("workflows.triage_incident"):
        actor_ids = tuple(
            user.actor_memberships.filter(is_manager=True).values_list("actor_id", flat=True)
        ) or tuple(user.actor_memberships.values_list("actor_id", flat=True))
        if actor_ids:
            return actor_ids
    raise PermissionDenied


def may_see_sensitive_rows(*, user) -> bool:
    return user.is_superuser or user.has_perm("workflows.view_sensitive_incident")


def require_auditor(*, user) -> None:
    if not user.is_authenticated or not (user.is_superuser or user.has_perm("workflows.audit_incident")):
        raise PermissionDenied
