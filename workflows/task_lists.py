"""viewflow's task lists (inbox, queue, archive) with the case's category, neighbourhood and deadline light,
filters on them, and a manager's bulk "assign to someone of my team" on the queue.

Built on viewflow's own list machinery: a django-filter FilterSet (`filterset_class`), list columns
(view methods) and a bulk action (`BaseBulkActionView`, offered through `bulk_actions`).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow.urls import ViewsetMeta
from viewflow.views import Action, BaseBulkActionView
from viewflow.views.base import BulkActionForm
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow.views.mixins import StoreRequestPathMixin
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cms_content.models import IncidentCategory, Neighbourhood
from workflows.models import Incident
from workflows.services.task_assignment import tasks_assign_to
from workflows.task_list_counts import BoundedCountPaginator, TaskCountBadge
from workflows.task_list_rows import case_rows
from workflows.task_selectors import (
    DeadlineState,
    assignable_staff,
    incidents_in_deadline_state,
    managed_actor_ids,
    staff_incidents_for_user,
)
from workflows.views import ScopedArchiveView, ScopedInboxView, ScopedQueueView


def _tasks_of(queryset, incidents):
    return queryset.filter(process__artifact_object_id__in=incidents.values("pk"))


class CaseFilterSet(FilterSet):
    """Filters on the task's case (the process's artifact): category, neighbourhood, deadline light."""

    # Options read as plain values, one query each per page: as model instances (ModelChoiceFilter) the 70-odd
    # sub-sections and their sections cost a few milliseconds of every list page to build.
    category = ChoiceFilter(label=_("Categoría"), method="filter_category")
    neighbourhood = ChoiceFilter(label=_("Barrio"), method="filter_neighbourhood")
    deadline = ChoiceFilter(label=_("Plazo"), choices=DeadlineState.CHOICES, method="filter_deadline")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sub_sections = (
            IncidentCategory.objects.filter(parent__isnull=False)
            .order_by("parent__name", "name")
            .values_list("pk", "parent__name", "name")
        )
        # Labelled as str(IncidentCategory): "Section › Sub-section".
        self.filters["category"].field.choices = [(pk, f"{sec} › {name}") for pk, sec, name in sub_sections]
        self.filters["neighbourhood"].field.choices = list(
            Neighbourhood.objects.order_by("name").values_list("pk", "name")
        )

    def filter_category(self, queryset, name, value):
        return _tasks_of(queryset, Incident.objects.filter(category=value)) if value else queryset

    def filter_neighbourhood(self, queryset, name, value):
        return _tasks_of(queryset, Incident.objects.filter(neighbourhood=value)) if value else queryset

    def filter_deadline(self, queryset, name, value):
        return _tasks_of(queryset, incidents_in_deadline_state(state=value)) if value else queryset


def flow_task_choices(flow_class) -> list[tuple[str, str]]:
    """The task-kind filter's options: the flow's human steps, labelled and ordered as viewflow does.

    viewflow reads them with a DISTINCT over every task of the list (100,000 rows at city scale, 270-390 ms);
    a flow's nodes are fixed in code, so they are read from the flow itself. The filter then offers every
    human step of the flow, also those with no task in the list at the moment.
    """
    nodes = [node for node in flow_class.instance.nodes() if node.task_type == "HUMAN"]
    return sorted((get_task_ref(node), f"{flow_class.process_title}/{node.name.title()}") for node in nodes)


class FlowTaskFilterSet(CaseFilterSet):
    """viewflow's `flow_task` and `created` filters (FlowUserTaskListFilter without its `process` filter,
    whose <select> listed every open process), with the task kinds taken from the flow's nodes."""

    flow_task = ChoiceFilter()
    created = DateRangeFilter()

    def __init__(self, *args, flow_class=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = flow_task_choices(flow_class) if flow_class else []


class TaskListFilter(FlowTaskFilterSet):
    """Inbox and queue: viewflow's filters plus the case's."""

    class Meta:
        model = Task
        fields = ("category", "neighbourhood", "deadline", "flow_task", "created")


class ArchiveTaskListFilter(FlowTaskFilterSet):
    finished = DateRangeFilter()

    class Meta:
        model = Task
        fields = ("category", "neighbourhood", "deadline", "flow_task", "created", "finished")


class CaseColumnsMixin:
    """Columns about the task's case, read in one query per page (not one per row), and the list's filters
    and pagination (see workflows.task_list_counts)."""

    filterset_class = TaskListFilter
    paginator_class = BoundedCountPaginator
    # viewflow's list with a pagination summary that can say "1000+".
    template_name = "workflows/task_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "flow_class": self.flow_class}

    def get_paginator(self, queryset, per_page, **kwargs):
        # The count stops past the requested page (BoundedCountPaginator); "last" needs all of it.
        page = str(self.request.GET.get(self.page_kwarg, ""))
        number = None if page == "last" else int(page) if page.isdigit() else 1
        return self.paginator_class(queryset, per_page, number=number, request=self.request, **kwargs)

    # The column shown by date: when the task was created (inbox, queue) or finished (archive).
    date_column = "created"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        context["case_rows"] = case_rows(
            page.object_list if page is not None else context["object_list"], date_column=self.date_column
        )
        return context

    def task_title(self, task):
        return task.title

    task_title.short_description = _("Tarea")

    # The methods below only name the list's columns (viewflow draws the headers and the sort from them);
    # the rows come from `case_rows`, drawn by workflows/task_list.html.
    def folio(self, task):
        return ""

    folio.short_description = _("Folio")

    def category(self, task):
        return ""

    category.short_description = _("Categoría")

    def neighbourhood(self, task):
        return ""

    neighbourhood.short_description = _("Barrio")

    def deadline_light(self, task):
        return ""

    deadline_light.short_description = _("Plazo")

    def acta(self, task):
        return ""

    acta.short_description = _("Acta")


class BulkAssignForm(BulkActionForm):
    assignee = forms.ModelChoiceField(label=_("Asignar a"), queryset=None, required=False)

    def __init__(self, *args, manager=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_staff(manager=manager)


class BulkAssignToStaffView(BaseBulkActionView):
    """A manager assigns the selected queued tasks to one person of their team (same actor only)."""

    model = Task
    form_class = BulkAssignForm
    template_name = "workflows/tasks_assign_to.html"
    flow_class = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not managed_actor_ids(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "manager": self.request.user}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # viewflow's list submits the selection through Turbo, which only renders a POST's page when its
        # status is not 200 (what viewflow's HotwireTurboMiddleware, left out of settings, would do).
        if self.request.method == "POST" and self.request.headers.get("X-Request-Framework") == "Turbo":
            response.status_code = 422
        return response

    def get_queryset(self):
        # Only queued tasks of this flow on cases of the actors this manager manages.
        self.queryset = (
            Task.objects.filter(
                process__flow_class=self.flow_class,
                status=STATUS.NEW,
                owner__isnull=True,
                process__artifact_object_id__in=staff_incidents_for_user(user=self.request.user)
                .filter(responsible_actor_id__in=managed_actor_ids(user=self.request.user))
                .values("pk"),
            )
            .select_related("process")
            .order_by("-created")
        )
        return super().get_queryset()

    def form_valid(self, form):
        assignee = form.cleaned_data.get("assignee")
        if assignee is None:
            form.add_error("assignee", _("Elija a quién asignar las tareas."))
            return self.form_not_confirmed(form)
        submitted = {int(pk) for pk in self.request.POST.getlist("pk") if str(pk).isdigit()}
        task_ids = list(self.get_queryset().values_list("pk", flat=True))
        if submitted - set(task_ids):
            # Someone took one meanwhile, or it is not this manager's: refuse all, change nothing.
            form.add_error(None, _("Alguna de las tareas elegidas ya fue tomada o no es de su institución."))
            return self.form_not_confirmed(form)
        try:
            count = tasks_assign_to(task_ids=task_ids, assignee=assignee, by=self.request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_not_confirmed(form)
        messages.success(
            self.request,
            _("Tareas asignadas a %(person)s: %(count)s.")
            % {"count": count, "person": assignee.get_full_name() or assignee.username},
        )
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.viewset.reverse("queue") if self.viewset is not None else "../"


BULK_ASSIGN_ACTION = Action(name=_("Asignar a una persona del equipo"), viewname="tasks_assign_to")


class StaffScopedQuerysetMixin:
    """Only tasks of cases the user works as staff: never another actor's (nor their own reports)."""

    def dispatch(self, request, *args, **kwargs):
        # viewflow remembers the list a task was opened from (StoreRequestPathMixin); writing the same path
        # again still saves the session, one UPDATE per list view. Skip its write when nothing changed.
        if request.session.get("vf-pin-location") == request.get_full_path():
            return super(StoreRequestPathMixin, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def visible_incidents(self):
        # In place of every case the user may see (ActorScopedTaskListMixin), not on top of it: one subquery
        # over the incidents instead of two (each costs the planner and every counted row). The lists of a
        # page (the list itself and the menu's badges) share it.
        memo = self.request.__dict__.setdefault("_cooperanet_task_lists", {})
        if "incidents" not in memo:
            memo["incidents"] = staff_incidents_for_user(user=self.request.user)
        return memo["incidents"].all()

    @property
    def queryset(self):
        # viewflow reads `queryset` several times per page, and the flow menu's badges read the inbox's and
        # the queue's (CaseTaskListsViewsetMixin): build each list's scope (memberships, sub-tasks, a few
        # milliseconds of ORM work) once per request; `.all()` hands out a fresh copy each time.
        built = self.request.__dict__.setdefault("_cooperanet_task_lists", {})
        key = (type(self), self.flow_class)
        if key not in built:
            built[key] = super().queryset
        return built[key].all()


# workflows/task_list.html draws each row's cells in this order (the archive: "finished" for "created");
# tests/workflows/test_task_list_rows.py checks that headers and cells match.
CASE_COLUMNS = (
    "task_id",
    "folio",
    "task_title",
    "category",
    "neighbourhood",
    "deadline_light",
    "created",
    "acta",
)


class CaseInboxView(CaseColumnsMixin, StaffScopedQuerysetMixin, ScopedInboxView):
    columns = CASE_COLUMNS


class CaseQueueView(CaseColumnsMixin, StaffScopedQuerysetMixin, ScopedQueueView):
    columns = CASE_COLUMNS

    def get_bulk_actions(self, *actions):
        # Bulk assign is for managers only (viewflow's list shows the selection boxes when there are actions).
        if managed_actor_ids(user=self.request.user):
            actions = (BULK_ASSIGN_ACTION, *actions)
        return super().get_bulk_actions(*actions)


class CaseArchiveView(CaseColumnsMixin, StaffScopedQuerysetMixin, ScopedArchiveView):
    columns = (
        "task_id",
        "folio",
        "task_title",
        "category",
        "neighbourhood",
        "deadline_light",
        "finished",
        "acta",
    )
    date_column = "finished"
    filterset_class = ArchiveTaskListFilter


class CaseTaskListsViewsetMixin(metaclass=ViewsetMeta):
    """For a FlowAppViewset: these lists, and the managers' bulk assign at queue/assign-to/."""

    inbox_view_class = CaseInboxView
    queue_view_class = CaseQueueView
    archive_view_class = CaseArchiveView

    def get_context_data(self, request):
        # The flow menu's badges (viewflow's flow_menu.html). viewflow counts the flow's whole queue, every
        # actor's tasks (100,000 rows at city scale); these count what the user's own lists show, bounded as
        # their pages are, and only when the menu is drawn.
        return {
            "user_inbox": self._badge(self.inbox_view_class, request),
            "user_queue": self._badge(self.queue_view_class, request),
        }

    def _badge(self, view_class, request) -> TaskCountBadge:
        def tasks():
            return view_class(request=request, flow_class=self._flow_class, viewset=self).queryset

        return TaskCountBadge(tasks, request)

    @property
    def tasks_assign_to_path(self):
        view = BulkAssignToStaffView.as_view(**self.filter_kwargs(BulkAssignToStaffView))
        return path("queue/assign-to/", view, name="tasks_assign_to")
