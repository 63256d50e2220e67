"""viewflow's task UI for staff (inbox, queue, archive per flow), mounted at /tareas/."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site as ViewflowSite
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flow_kinds.nodes import LoggedDetailProcessView
from workflows.flows import EmergencyFlow, ProtectedFlow, StandardFlow
from workflows.task_lists import CaseTaskListsViewsetMixin


class ActorScopedFlowAppViewset(CaseTaskListsViewsetMixin, FlowAppViewset):
    """viewflow's task app whose inbox, queue and archive show only the user's actors' incidents,
    with the case's category, neighbourhood and deadline light, their filters, and bulk assign."""

    # Opening a sensitive case's process is a read of it: logged (workflows.selectors.sensitive_read_log).
    process_detail_view_class = LoggedDetailProcessView


task_site = ViewflowSite(
    title=_("CooperaNet · Tareas"),
    viewsets=[
        ActorScopedFlowAppViewset(StandardFlow, icon="assignment", title=_("Casos estándar")),
        ActorScopedFlowAppViewset(EmergencyFlow, icon="local_fire_department", title=_("Emergencias")),
        ActorScopedFlowAppViewset(ProtectedFlow, icon="shield", title=_("Casos protegidos")),
    ],
)
