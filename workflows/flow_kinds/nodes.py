"""Nodes for flows where several actors work one incident, each on its own sub-task.

Why viewflow tasks created per actor, not a fixed Split with one branch per actor: how many actors an
emergency needs depends on the category and the neighbourhood's routing (editors change it in the CMS), so
the branches cannot be written into the flow class. viewflow 2.4 documents `Split.Next(..., data_source=)`
for this but does not implement it; `PerActorSplit` does: one task per item, each with `task.data` set to
it, all under one split token, so viewflow's own `Join` waits for every one of them.
"""

from viewflow import this
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import nodes as flow_nodes
from viewflow.workflow.flow.views import DetailProcessView, DetailTaskView
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.view import ViewActivation

from workflows.permissions import incident_of_process
from workflows.selectors import incident_read_log_if_sensitive, subtask_of_task, subtask_task_in_scope


class PerActorSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition, data_source in self.flow_task._branches:
            if condition and not condition(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class PerActorSplit(flow_nodes.Split):
    """A parallel split that may create one task of a node per item of `data_source(activation)`."""

    activation_class = PerActorSplitActivation

    def Next(self, node, case=None, data_source=None):  # noqa: N802 (viewflow's naming)
        self._activate_next.append((node, case, data_source))
        return self

    def _resolve(self, instance):
        # viewflow's Split resolves only node and case; resolve `this.…` data sources too.
        super()._resolve(instance)
        self._activate_next = [
            (node, case, this.resolve(instance, data_source) if data_source is not None else None)
            for node, case, data_source in self._activate_next
        ]


class LoggedDetailTaskView(DetailTaskView):
    """viewflow's task detail; opening it on a sensitive case is a read, logged for the auditors."""

    def get(self, request, *args, **kwargs):
        incident_read_log_if_sensitive(
            incident=incident_of_process(request.activation.process), user=request.user, what="task_detail"
        )
        return super().get(request, *args, **kwargs)


class LoggedDetailProcessView(DetailProcessView):
    """viewflow's process detail (the case's tasks); logged like any read of a sensitive case."""

    def get(self, request, *args, **kwargs):
        incident_read_log_if_sensitive(
            incident=incident_of_process(self.get_object()), user=request.user, what="process_detail"
        )
        return super().get(request, *args, **kwargs)


class SubtaskViewActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        # viewflow hands no data along a plain edge: the next step of one actor keeps its sub-task.
        previous = prev_activation.task.data or {}
        if not data and "subtask_id" in previous:
            data = {"subtask_id": previous["subtask_id"]}
        return super().create(flow_task, prev_activation, token, data=data, seed=seed)


class SubtaskView(flow_nodes.View):
    """A human task doing one actor's sub-task (`task.data["subtask_id"]`): only that actor's staff take it.

    The actor is read from the sub-task row at every check, so a referral to another actor moves the task
    with it. The global permission must hold too (e.g. `work_incident`); sensitive cases also need
    `view_sensitive_incident`.
    """

    activation_class = SubtaskViewActivation
    detail_view_class = LoggedDetailTaskView

    def can_assign(self, user, task):
        if not super().can_assign(user, task):
            return False
        return subtask_task_in_scope(user=user, task=task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and subtask_task_in_scope(user=user, task=task)

    @staticmethod
    def subtask(task):
        return subtask_of_task(task=task)
