"""viewflow flows resolving incidents. One Flow per kind of case; each reads like its diagram."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from cms_content.models import FlowKind
from workflows.deadlines import workflow_settings_for
from workflows.flow_kinds.base import IncidentFlow
from workflows.flow_kinds.emergency import EmergencyFlow
from workflows.flow_kinds.protected import ProtectedFlow
from workflows.forms import TriageDecision
from workflows.models import Incident, IncidentStatus
from workflows.nodes import ActorScopedView
from workflows.permissions import incident_of_process
from workflows.services.incidents import incident_change_status
from workflows.services.steps import incident_wait_for_decision
from workflows.views import AuthorityDecisionView, InspectionView, ResolveView, TriageView


class StandardFlow(IncidentFlow):
    """A non-urgent public report (pothole, garbage, graffiti…).

    A citizen or the front desk reports (start); the responsible actor's manager triages it: accepts it,
    re-categorises or hands it over (then the new actor triages), merges it into its original or rejects it
    as false; accepted cases are resolved by the actor's staff with evidence, and the citizen is told.
    """

    process_title = _("Caso estándar")
    process_description = _("Reporte ciudadano revisado y resuelto por el actor responsable.")

    # citizen / front desk: started by workflows.services.incident_report
    start = flow.StartHandle(this.start_process).Annotation(title=_("Reporte recibido")).Next(this.triage)

    # agency manager of the responsible actor
    triage = (
        ActorScopedView(TriageView.as_view())
        .Annotation(title=_("Revisar el reporte"))
        .Permission("workflows.triage_incident", obj=incident_of_process)
        .Next(this.route_triage)
    )
    route_triage = (
        flow.Switch()
        .Annotation(title=_("¿Qué se decidió?"))
        .Case(this.move_to_its_flow, this.flow_kind_changed)
        .Case(this.triage, this.needs_new_triage)
        .Case(this.rejected, this.was_closed)
        .Case(this.ask_citizen, this.asked_for_information)
        .Default(this.needs_inspection)
    )
    # citizen: answers on the tracking page (workflows.services.clock_pause); the deadline waits meanwhile
    ask_citizen = (
        flow.Handle(this.record_citizen_information)
        .Annotation(title=_("Esperar la información de la persona"))
        .Next(this.triage)
    )

    # optional steps, switched on per category in the CMS (CategoryWorkflowSettings)
    needs_inspection = (
        flow.If(this.inspection_is_on)
        .Annotation(title=_("¿Requiere inspección?"))
        .Then(this.inspection)
        .Else(this.needs_decision)
    )
    inspection = (
        ActorScopedView(InspectionView.as_view())
        .Annotation(title=_("Inspeccionar en terreno"))
        .Permission("workflows.work_incident", obj=incident_of_process)
        .Next(this.needs_decision)
    )
    needs_decision = (
        flow.If(this.authority_decision_is_on)
        .Annotation(title=_("¿Requiere decisión de la autoridad?"))
        .Then(this.wait_for_decision)
        .Else(this.resolve_case)
    )
    wait_for_decision = flow.Function(this.mark_waiting_for_decision).Next(this.authority_decision)
    # authority: not scoped to the actor (the authority decides for every actor)
    authority_decision = (
        flow.View(AuthorityDecisionView.as_view())
        .Annotation(title=_("Decidir presupuesto o prioridad"))
        .Permission("workflows.decide_incident")
        .Next(this.resolve_case)
    )

    # agency staff
    # (not "resolve": `this.resolve` is viewflow's own reference resolver)
    resolve_case = (
        ActorScopedView(ResolveView.as_view())
        .Annotation(title=_("Resolver con evidencia"))
        .Permission("workflows.work_incident", obj=incident_of_process)
        .Next(this.needs_confirmation)
    )

    # citizen: confirms or contests within the category's window (workflows.services.confirmation)
    needs_confirmation = (
        flow.If(this.citizen_confirmation_is_on)
        .Annotation(title=_("¿Se pide confirmación ciudadana?"))
        .Then(this.confirmation)
        .Else(this.close_case)
    )
    confirmation = (
        flow.Handle(this.record_citizen_answer)
        .Annotation(title=_("Esperar confirmación o reclamo"))
        .Next(this.route_confirmation)
    )
    route_confirmation = (
        flow.Switch()
        .Annotation(title=_("¿Reclamó?"))
        .Case(this.resolve_case, this.was_contested)
        .Default(this.close_case)
    )
    close_case = flow.Function(this.close_incident).Annotation(title=_("Cerrar el caso")).Next(this.resolved)

    # re-categorised into an emergency or sensitive category: that category's flow takes the case over
    move_to_its_flow = (
        flow.Function(this.start_matching_flow)
        .Annotation(title=_("Pasar al flujo de la nueva categoría"))
        .Next(this.moved)
    )

    resolved = flow.End().Annotation(title=_("Resuelto"))
    rejected = flow.End().Annotation(title=_("Cerrado sin solución"))
    moved = flow.End().Annotation(title=_("Sigue en otro flujo"))

    def start_process(self, activation, incident):
        activation.process.artifact = incident
        activation.process.data = {"folio": incident.folio}
        return activation.process

    def record_citizen_information(self, activation, answer):
        activation.process.data = {**(activation.process.data or {}), "citizen_information": answer}
        activation.process.save(update_fields=["data"])

    def record_citizen_answer(self, activation, answer):
        activation.process.data = {**(activation.process.data or {}), "confirmation": answer}
        activation.process.save(update_fields=["data"])

    def close_incident(self, activation):
        incident_change_status(
            incident_id=activation.process.artifact_object_id, status=IncidentStatus.CLOSED
        )

    def citizen_confirmation_is_on(self, activation) -> bool:
        return workflow_settings_for(activation.process.artifact.category).citizen_confirmation_on

    def was_contested(self, activation) -> bool:
        return (activation.process.data or {}).get("confirmation") == "contested"

    def mark_waiting_for_decision(self, activation):
        incident_wait_for_decision(incident_id=activation.process.artifact_object_id)

    # gates: the category's workflow settings (editors switch them in the CMS) …
    def inspection_is_on(self, activation) -> bool:
        return workflow_settings_for(activation.process.artifact.category).inspection_on

    def authority_decision_is_on(self, activation) -> bool:
        return workflow_settings_for(activation.process.artifact.category).authority_decision_on

    # … and the triage decision stored by TriageView
    def flow_kind_changed(self, activation) -> bool:
        # Only a re-categorisation moves a case (editors switching a category's flow kind leave open cases).
        if _last_triage(activation) != TriageDecision.RECATEGORISE:
            return False
        return flow_for_category(_fresh_incident(activation).category) is not type(self)

    def start_matching_flow(self, activation):
        incident = _fresh_incident(activation)
        flow_for_category(incident.category).start.run(incident=incident)

    def needs_new_triage(self, activation) -> bool:
        return _last_triage(activation) in (TriageDecision.RECATEGORISE, TriageDecision.HAND_OVER)

    def asked_for_information(self, activation) -> bool:
        return _last_triage(activation) == TriageDecision.ASK_INFO

    def was_closed(self, activation) -> bool:
        return _last_triage(activation) in (TriageDecision.DUPLICATE, TriageDecision.FALSE_REPORT)


def _fresh_incident(activation):
    # The process caches its artifact; triage has just changed the incident's category in the database.
    return Incident.objects.select_related("category").get(pk=activation.process.artifact_object_id)


def _last_triage(activation) -> str:
    return (activation.process.data or {}).get("last_triage", "")


def flow_for_category(category) -> type[IncidentFlow]:
    """The flow the category's workflow settings choose (editors switch it in the CMS)."""
    if category.responsible_actor_id is None:
        # A routing gap (listed to editors by reference_data_gaps): dispatch and referral need an actor;
        # the standard flow keeps the report waiting for triage instead of failing it.
        return StandardFlow
    kind = workflow_settings_for(category).flow_kind
    return {FlowKind.EMERGENCY: EmergencyFlow, FlowKind.PROTECTED: ProtectedFlow}.get(kind, StandardFlow)


__all__ = ["EmergencyFlow", "IncidentFlow", "ProtectedFlow", "StandardFlow", "flow_for_category"]
