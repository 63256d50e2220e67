"""Protected-case flow: named actors only, mandatory referral to protection, no public timeline."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.flow_kinds.base import IncidentFlow
from workflows.flow_kinds.nodes import PerActorSplit, SubtaskView
from workflows.flow_kinds.views import ProtectedResolveView, ProtectionCareView
from workflows.nodes import ActorScopedView
from workflows.permissions import incident_of_process
from workflows.services.flow_kinds import protected_close, protected_refer


class ProtectedFlow(IncidentFlow):
    """Violence in the family, abuse, children or elderly people at risk (categories marked sensitive).

    Only staff of the named actors (the responsible actor and the protection actor, with
    `view_sensitive_incident`) and auditors see the case; every read is logged. The referral to the
    protection actor (the category's `protection_actor`, else the responsible actor) is made by the flow
    itself, first, so nobody can skip it. Both actors then work in parallel; when both are done the case
    closes. Citizens' tracking pages show the status only, never the timeline
    (`workflows.selectors.timeline_is_hidden`).
    """

    process_title = _("Caso protegido")
    process_description = _("Caso sensible: derivación obligatoria a protección, acceso registrado.")

    # citizen / front desk: started by workflows.services.incident_report
    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Caso recibido"))
        .Next(this.refer_to_protection)
    )

    # automatic and mandatory: a sub-task for the protection actor, with the triage deadline
    refer_to_protection = (
        flow.Function(this.refer)
        .Annotation(title=_("Derivar a la institución de protección"))
        .Next(this.split_work)
    )
    split_work = (
        PerActorSplit()
        .Annotation(title=_("Protección y caso, en paralelo"))
        .Next(this.protection_care, data_source=this.protection_subtasks)
        .Next(this.resolve_case)
    )

    # protection actor's staff (sensitive permission needed)
    protection_care = (
        SubtaskView(ProtectionCareView.as_view())
        .Annotation(title=_("Atender y proteger a la persona"))
        .Permission("workflows.view_sensitive_incident", obj=incident_of_process)
        .Next(this.join_work)
    )
    # responsible actor's manager (triage permission; staff without sensitive permission never see it)
    resolve_case = (
        ActorScopedView(ProtectedResolveView.as_view())
        .Annotation(title=_("Resolver el caso"))
        .Permission("workflows.triage_incident", obj=incident_of_process)
        .Next(this.join_work)
    )

    join_work = flow.Join().Annotation(title=_("Esperar ambas partes")).Next(this.close_case)
    close_case = flow.Function(this.close).Annotation(title=_("Cerrar el caso")).Next(this.closed)
    closed = flow.End().Annotation(title=_("Caso cerrado"))

    def refer(self, activation):
        subtask_id = protected_refer(incident_id=activation.process.artifact_object_id)
        activation.process.data = {**(activation.process.data or {}), "protection_subtask": subtask_id}
        activation.process.save(update_fields=["data"])

    def protection_subtasks(self, activation) -> list[dict]:
        subtask_id = (activation.process.data or {}).get("protection_subtask")
        return [{"subtask_id": subtask_id}] if subtask_id else []

    def close(self, activation):
        protected_close(incident_id=activation.process.artifact_object_id)
