"""Flow nodes of our own: viewflow's, narrowed to the user's actors."""

from viewflow.workflow import flow

from workflows.flow_kinds.nodes import LoggedDetailTaskView
from workflows.permissions import incident_of_process


class ActorScopedView(flow.View):
    """A human task that only staff of the incident's actor may take.

    viewflow's View grants a task to anyone holding the global permission ("has_perm(perm, obj) or
    has_perm(perm)"); here the object permission (workflows.permissions.ActorScopedBackend) must hold too.
    """

    # Opening a sensitive case's task detail is a read of it: logged.
    detail_view_class = LoggedDetailTaskView

    def can_assign(self, user, task):
        if not super().can_assign(user, task):
            return False
        incident = incident_of_process(task.process)
        return incident is not None and user.has_perm(task.owner_permission, obj=incident)
