"""Staff task screens (viewflow): thin views that validate, call a service, and finish the task."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from viewflow.workflow.flow.views import UpdateProcessView
from viewflow.workflow.flow.views.list import FlowArchiveListView, FlowInboxListView, FlowQueueListView

from workflows.forms import AuthorityDecisionForm, InspectionForm, ResolveForm, TriageForm
from workflows.selectors import sensitive_read_log, tasks_visible_to_user


class SensitiveReadLogMixin:
    """Opening a task of a sensitive case is a read of it: logged for the auditors."""

    def get(self, request, *args, **kwargs):
        incident = request.activation.process.artifact
        if incident is not None and not incident.category.is_publicly_visible:
            sensitive_read_log(incident=incident, user=request.user, via="staff", what="task")
        return super().get(request, *args, **kwargs)


class TriageView(SensitiveReadLogMixin, UpdateProcessView):
    """The agency manager reviews a new report: accept, re-categorise, merge, hand over or reject it."""

    form_class = TriageForm

    def form_valid(self, form):
        try:
            with transaction.atomic():
                decision = form.apply(by=self.request.user)
                process = self.request.activation.process
                # The flow's gate reads the decision (StandardFlow.route_triage).
                process.data = {**(process.data or {}), "last_triage": decision}
                process.save(update_fields=["data"])
                self.request.activation.execute()
        except ValidationError:
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class StepView(SensitiveReadLogMixin, UpdateProcessView):
    """A task whose form validates, runs its service (`form.apply`), then finishes the task."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                form.apply(by=self.request.user)
                self.request.activation.execute()
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class InspectionView(StepView):
    """Agency staff inspect the place and leave evidence (optional step)."""

    form_class = InspectionForm


class AuthorityDecisionView(StepView):
    """The authority decides on budget or priority (optional step)."""

    form_class = AuthorityDecisionForm


class ResolveView(StepView):
    """Agency staff record the solution with evidence; the citizen is told."""

    form_class = ResolveForm


class ActorScopedTaskListMixin:
    """Task lists show only tasks of incidents the user may see (their actors'): never another actor's."""

    def visible_incidents(self):
        """The cases whose tasks are listed; None: every incident the user may see."""
        return None

    @property
    def queryset(self):
        # Shared incidents (emergencies, sub-tasks): each actor lists only its own part.
        return tasks_visible_to_user(
            user=self.request.user, tasks=super().queryset, incidents=self.visible_incidents()
        ).select_related("process")


class ScopedQueueView(ActorScopedTaskListMixin, FlowQueueListView):
    pass


class ScopedInboxView(ActorScopedTaskListMixin, FlowInboxListView):
    pass


class ScopedArchiveView(ActorScopedTaskListMixin, FlowArchiveListView):
    pass
