"""viewflow's task UI for staff (inbox, queue, archive per flow), mounted at /tareas/."""

from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site as ViewflowSite
from viewflow.workflow.flow.viewset import FlowAppViewset

from workflows.flows import StandardFlow

task_site = ViewflowSite(
    title=_("CooperaNet · Tareas"),
    viewsets=[FlowAppViewset(StandardFlow, icon="assignment", title=_("Casos estándar"))],
)
