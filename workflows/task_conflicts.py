"""Two people acting on one task at once: the loser gets a clear Spanish answer (HTTP 409), never a 500.

The flow's lock (`lock_impl`, a `select_for_update` on the process row) serialises the two requests;
the second one then finds the task already done or taken and viewflow refuses it with PermissionDenied
(or, if the lock could not be had in time, FlowLockFailed). `TaskSiteMiddleware.process_exception` asks
this module to turn those into a 409 page that says what happened; a real permission problem stays a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.selectors import incident_list_for_user

# The task URLs where a concurrent change can make a request late (viewflow's url names).
CONFLICT_URL_NAMES = {"execute", "assign", "unassign"}


def task_conflict_message(*, task: Task, user, url_name: str) -> str | None:
    """Why this request on `task` came too late, or None when it did not (a real refusal)."""
    if task.status in (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED):
        return _("Esta tarea ya fue completada. No es necesario hacerla de nuevo.")
    if task.owner_id is not None and task.owner_id != user.pk and url_name in ("execute", "assign"):
        return _("Esta tarea ya fue tomada por otra persona.")
    return None


def task_conflict_response(*, request, exception):
    """A 409 page when `exception` on a task URL means "someone else got there first"; else None."""
    match = request.resolver_match
    if match is None or match.url_name not in CONFLICT_URL_NAMES or "task_pk" not in match.kwargs:
        return None
    if not isinstance(exception, PermissionDenied | FlowLockFailed):
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    task = Task.objects.select_related("process").filter(pk=match.kwargs["task_pk"]).first()
    # Only people who may see the case learn what happened to its task.
    if (
        task is None
        or not incident_list_for_user(user=user).filter(pk=task.process.artifact_object_id).exists()
    ):
        return None
    if isinstance(exception, FlowLockFailed):
        message = _(
            "Otra persona está trabajando en esta tarea en este momento. Espere un poco e intente de nuevo."
        )
    else:
        message = task_conflict_message(task=task, user=user, url_name=match.url_name)
        if message is None:
            return None
    return render(
        request,
        "workflows/task_conflict.html",
        {"message": message, "queue_url": _queue_url(match)},
        status=409,
    )


def _queue_url(match) -> str:
    # The list of the same flow's tasks: /tareas/<app>/<flow>/queue/ (namespace of the matched URL).
    from django.urls import NoReverseMatch, reverse

    namespace = ":".join(match.namespaces[:-1]) if len(match.namespaces) > 1 else match.namespace
    try:
        return reverse(f"{namespace}:inbox")
    except NoReverseMatch:
        return "/tareas/"
