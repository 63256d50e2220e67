"""viewflow flows resolving incidents. One Flow per kind of case; each reads like its diagram."""

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView

from workflows.forms import TriageForm
from workflows.models import IncidentProcess


class TriageView(UpdateProcessView):
    """Task view: the agency manager reviews a new report, sets its priority and accepts it."""

    form_class = TriageForm

    def form_valid(self, form):
        form.apply(by=self.request.user)
        self.request.activation.execute()
        return HttpResponseRedirect(self.get_success_url())


class StandardFlow(flow.Flow):
    """A non-urgent public report (pothole, garbage, graffiti…).

    A citizen or the front desk reports (start); the responsible actor's manager reviews and prioritises
    it (triage); later issues add inspection, authority decision, resolution and citizen confirmation.
    """

    process_class = IncidentProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Caso estándar")
    process_description = _("Reporte ciudadano revisado y resuelto por el actor responsable.")

    # citizen / front desk: started by workflows.services.incident_report
    start = flow.StartHandle(this.start_process).Annotation(title=_("Reporte recibido")).Next(this.triage)

    # agency manager
    triage = (
        flow.View(TriageView.as_view())
        .Annotation(title=_("Revisar el reporte"))
        .Permission("workflows.triage_incident")
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("Revisado"))

    def start_process(self, activation, incident):
        activation.process.artifact = incident
        activation.process.data = {"folio": incident.folio}
        return activation.process
