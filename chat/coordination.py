"""Who may open an incident's coordination room: the live thread of the staff working that incident.

Access is decided by `workflows` and re-checked on every read and write (staff move between actors, an
incident is handed over): the staff of every actor involved (`incident_coordination_user_ids`) read and
write; auditors read only. The incident must also be one the person may see at all
(`incident_list_for_user`), so a sensitive case stays with staff cleared for sensitive cases. Citizens are
never in either list. `chat` reads incidents only through `workflows.selectors`.
"""

from dataclasses import dataclass

COORDINATION_READ = "coordination_chat"


@dataclass
class CoordinationAccess:
    incident: object  # the workflows Incident, as its selectors return it
    can_write: bool

    @property
    def sensitive(self) -> bool:
        return not self.incident.category.is_publicly_visible


def is_auditor(user) -> bool:
    return bool(user.is_superuser or user.has_perm("workflows.audit_incident"))


def coordination_access(*, incident_id: int, user) -> CoordinationAccess | None:
    """The incident and whether `user` may write in its coordination room; None when they may not open it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    from workflows.selectors import incident_coordination_user_ids, incident_list_for_user

    incident = (
        incident_list_for_user(user=user)
        .filter(pk=incident_id)
        .select_related("category", "category__parent")
        .first()
    )
    if incident is None:
        return None
    if user.pk in incident_coordination_user_ids(incident_id=incident.pk):
        return CoordinationAccess(incident=incident, can_write=True)
    if is_auditor(user):
        return CoordinationAccess(incident=incident, can_write=False)
    return None


def coordination_read_log(*, access: CoordinationAccess, user) -> None:
    """Reading a sensitive case's coordination thread is a read of the case: logged for the auditors."""
    if access.sensitive:
        from workflows.selectors import sensitive_read_log

        via = "staff" if access.can_write else "audit"
        sensitive_read_log(incident=access.incident, user=user, via=via, what=COORDINATION_READ)
