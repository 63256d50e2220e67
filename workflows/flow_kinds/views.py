"""Task screens of the emergency and protected flows: validate, call a service, finish the viewflow task."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from viewflow.workflow.flow.views import UpdateProcessView

from workflows.flow_kinds.forms import (
    AcknowledgeForm,
    ProtectedResolveForm,
    ProtectionCareForm,
    ReportPartForm,
)
from workflows.selectors import (
    coordination_room_url,
    incident_read_log_if_sensitive,
    subtask_list_for_incident,
    subtask_of_task,
)


class CoordinationTaskView(UpdateProcessView):
    """A task of a case several actors work on: shows its sub-tasks and the coordination room link."""

    def get(self, request, *args, **kwargs):
        incident_read_log_if_sensitive(
            incident=request.activation.process.artifact, user=request.user, what="task"
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        incident = self.request.activation.process.artifact
        context["incident"] = incident
        context["subtask"] = subtask_of_task(task=self.request.activation.task)
        context["subtasks"] = subtask_list_for_incident(incident_id=incident.pk)
        context["coordination_room_url"] = coordination_room_url(incident_id=incident.pk)
        return context

    def form_valid(self, form):
        subtask = subtask_of_task(task=self.request.activation.task)
        try:
            with transaction.atomic():
                form.apply(by=self.request.user, subtask=subtask)
                self.request.activation.execute()
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class AcknowledgeView(CoordinationTaskView):
    form_class = AcknowledgeForm


class ReportPartView(CoordinationTaskView):
    form_class = ReportPartForm


class ProtectionCareView(CoordinationTaskView):
    form_class = ProtectionCareForm


class ProtectedResolveView(CoordinationTaskView):
    form_class = ProtectedResolveForm
