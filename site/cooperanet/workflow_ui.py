"""viewflow's task UI for staff (inbox, queue, archive per flow), mounted at /tareas/."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site as ViewflowSite
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flows import StandardFlow
from workflows.views import ScopedArchiveView, ScopedInboxView, ScopedQueueView


class ActorScopedFlowAppViewset(FlowAppViewset):
    """viewflow's task app whose inbox, queue and archive show only the user's actors' incidents."""

    inbox_view_class = ScopedInboxView
    queue_view_class = ScopedQueueView
    archive_view_class = ScopedArchiveView


task_site = ViewflowSite(
    title=_("CooperaNet · Tareas"),
    viewsets=[ActorScopedFlowAppViewset(StandardFlow, icon="assignment", title=_("Casos estándar"))],
)
