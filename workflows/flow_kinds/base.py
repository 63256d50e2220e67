"""What every incident flow shares: the process class, locking, and who may look at a case's process."""

from viewflow.workflow import flow, lock

from workflows.models import IncidentProcess
from workflows.permissions import incident_of_process


class IncidentFlow(flow.Flow):
    """Base of the incident flows (abstract: viewflow registers only flows with nodes)."""

    process_class = IncidentProcess
    # SELECT … FOR UPDATE on the process row, waiting for the holder instead of viewflow's default
    # nowait-and-retry (0.4–0.8 s sleeps): the second of two simultaneous submits blocks for the first's
    # few milliseconds, then sees the task done and gets the 409 page. A stuck holder is bounded by the
    # database's statement timeout, never by this lock.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    def has_view_permission(self, user, obj=None):
        # viewflow only checks the global `view_incidentprocess`; a process (and its task details) is a view
        # of the incident, so the incident must be one the user may see (their actors' or involved).
        if not super().has_view_permission(user, obj=obj):
            return False
        if obj is None:
            return True
        from workflows.selectors import incident_list_for_user

        incident = incident_of_process(obj)
        return incident is not None and incident_list_for_user(user=user).filter(pk=incident.pk).exists()

    def start_process(self, activation, incident):
        activation.process.artifact = incident
        activation.process.data = {"folio": incident.folio}
        return activation.process
