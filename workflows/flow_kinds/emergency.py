"""The emergency flow: dispatch to every actor at once, each acknowledges and reports, joint closure."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.flow_kinds.base import IncidentFlow
from workflows.flow_kinds.nodes import PerActorSplit, SubtaskView
from workflows.flow_kinds.views import AcknowledgeView, ReportPartView
from workflows.permissions import incident_of_process
from workflows.services.flow_kinds import emergency_close_jointly, emergency_dispatch


class EmergencyFlow(IncidentFlow):
    """A fire, an accident, a gas leak… (categories whose workflow settings say "Emergencia").

    No triage: the report is dispatched at once to the responsible emergency actor and to every supporting
    actor of the category (neighbourhood routing first), in parallel. Each actor's staff acknowledge within
    the category's `acknowledgement_minutes`, then report what they did (deadline in hours); when every
    actor has reported, the case is closed jointly. One task per actor (PerActorSplit): the number of actors
    comes from the CMS, not from this class.
    """

    process_title = _("Emergencia")
    process_description = _("Despacho inmediato a todas las instituciones y cierre conjunto.")

    # citizen / front desk: started by workflows.services.incident_report
    start = (
        flow.StartHandle(this.start_process).Annotation(title=_("Emergencia reportada")).Next(this.dispatch)
    )

    # automatic: one sub-task per actor, acknowledgement deadline in minutes
    dispatch = (
        flow.Function(this.dispatch_to_actors)
        .Annotation(title=_("Despachar a todas las instituciones"))
        .Next(this.split_to_actors)
    )
    split_to_actors = (
        PerActorSplit()
        .Annotation(title=_("Una tarea por institución, en paralelo"))
        .Next(this.acknowledge, data_source=this.dispatched_subtasks)
    )

    # staff of each dispatched actor (its own task; a referral moves it to another actor)
    acknowledge = (
        SubtaskView(AcknowledgeView.as_view())
        .Annotation(title=_("Confirmar que vamos"))
        .Permission("workflows.work_incident", obj=incident_of_process)
        .Next(this.report_part)
    )
    report_part = (
        SubtaskView(ReportPartView.as_view())
        .Annotation(title=_("Informar lo realizado"))
        .Permission("workflows.work_incident", obj=incident_of_process)
        .Next(this.join_actors)
    )

    # automatic: waits for every actor, then closes once for all
    join_actors = (
        flow.Join().Annotation(title=_("Esperar a todas las instituciones")).Next(this.joint_closure)
    )
    joint_closure = flow.Function(this.close_jointly).Annotation(title=_("Cierre conjunto")).Next(this.closed)
    closed = flow.End().Annotation(title=_("Emergencia atendida"))

    def dispatch_to_actors(self, activation):
        ids = emergency_dispatch(incident_id=activation.process.artifact_object_id)
        activation.process.data = {**(activation.process.data or {}), "subtasks": ids}
        activation.process.save(update_fields=["data"])

    def dispatched_subtasks(self, activation) -> list[dict]:
        return [
            {"subtask_id": subtask_id} for subtask_id in (activation.process.data or {}).get("subtasks", [])
        ]

    def close_jointly(self, activation):
        emergency_close_jointly(incident_id=activation.process.artifact_object_id)
