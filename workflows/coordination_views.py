"""Coordination screens for staff: their actors' sub-tasks, and one incident's shared work.

Sub-tasks asked by a manager appear at any moment of any flow, so they are rows with a scoped view rather
than viewflow tasks (a viewflow task needs a place in the flow's graph). Emergency and protection
sub-tasks are worked from their viewflow tasks (so the flow's Join sees them); here they are listed and
may be referred.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.coordination_forms import SubtaskAddForm, SubtaskCompleteForm, SubtaskReferForm
from workflows.coordination_models import IncidentSubtask, SubtaskKind
from workflows.selectors import (
    coordination_room_url,
    incident_list_for_user,
    incident_read_log_if_sensitive,
    subtask_list_for_incident,
    subtask_list_for_user,
    user_manages_actor,
    user_may_work_subtask,
)
from workflows.services import coordination


def _staff_only(user) -> None:
    # Citizens see their own incidents elsewhere (tracking page); coordination is for staff and auditors.
    if not (user.has_perm("workflows.work_incident") or user.has_perm("workflows.audit_incident")):
        raise PermissionDenied


def _visible_incident(user, incident_id: int):
    _staff_only(user)
    incident = (
        incident_list_for_user(user=user)
        .select_related("category", "responsible_actor")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise PermissionDenied
    return incident


@login_required
def subtask_list(request):
    """The sub-tasks of the user's actors: pending first, with their deadlines."""
    _staff_only(request.user)
    subtasks = list(subtask_list_for_user(user=request.user)[:200])
    return render(
        request,
        "workflows/coordination/list.html",
        {
            "pending": [s for s in subtasks if s.is_open],
            "finished": [s for s in subtasks if not s.is_open][:50],
        },
    )


@login_required
def incident_coordination(request, incident_id: int):
    """One incident's shared work: every actor's sub-task, the room link, and what this user may do."""
    incident = _visible_incident(request.user, incident_id)
    incident_read_log_if_sensitive(incident=incident, user=request.user, what="coordination")
    subtasks = subtask_list_for_incident(incident_id=incident.pk)
    rows = [
        {
            "subtask": subtask,
            "may_work": subtask.is_open
            and subtask.kind == SubtaskKind.COORDINATION
            and user_may_work_subtask(user=request.user, subtask=subtask),
            "may_refer": subtask.is_open
            and (
                user_manages_actor(user=request.user, actor_id=subtask.actor_id)
                or user_manages_actor(user=request.user, actor_id=incident.responsible_actor_id)
            ),
        }
        for subtask in subtasks
    ]
    may_add = user_manages_actor(user=request.user, actor_id=incident.responsible_actor_id)
    return render(
        request,
        "workflows/coordination/incident.html",
        {
            "incident": incident,
            "rows": rows,
            "may_add": may_add,
            "add_form": SubtaskAddForm() if may_add else None,
            "complete_form": SubtaskCompleteForm(),
            "refer_form": SubtaskReferForm(),
            "coordination_room_url": coordination_room_url(incident_id=incident.pk),
        },
    )


def _back(incident_id: int):
    return HttpResponseRedirect(reverse("coordination:incident", kwargs={"incident_id": incident_id}))


def _report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def subtask_add(request, incident_id: int):
    incident = _visible_incident(request.user, incident_id)
    form = SubtaskAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Revise la institución, qué debe hacer y el plazo."))
        return _back(incident.pk)
    try:
        coordination.subtask_add(incident_id=incident.pk, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report_errors(request, error)
    else:
        messages.success(request, _("Tarea pedida a %(actor)s.") % {"actor": form.cleaned_data["actor"].name})
    return _back(incident.pk)


def _subtask_for(request, subtask_id: int) -> IncidentSubtask:
    subtask = get_object_or_404(IncidentSubtask, pk=subtask_id)
    _visible_incident(request.user, subtask.incident_id)
    return subtask


@login_required
@require_POST
def subtask_acknowledge(request, subtask_id: int):
    subtask = _subtask_for(request, subtask_id)
    if subtask.kind != SubtaskKind.COORDINATION:
        raise PermissionDenied  # worked from its viewflow task
    try:
        coordination.subtask_acknowledge(subtask_id=subtask.pk, by=request.user)
    except ValidationError as error:
        _report_errors(request, error)
    return _back(subtask.incident_id)


@login_required
@require_POST
def subtask_complete(request, subtask_id: int):
    subtask = _subtask_for(request, subtask_id)
    if subtask.kind != SubtaskKind.COORDINATION:
        raise PermissionDenied  # worked from its viewflow task
    form = SubtaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describa lo que hizo su institución."))
        return _back(subtask.incident_id)
    try:
        coordination.subtask_complete(subtask_id=subtask.pk, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        _report_errors(request, error)
    else:
        messages.success(request, _("Tarea terminada."))
    return _back(subtask.incident_id)


@login_required
@require_POST
def subtask_refer(request, subtask_id: int):
    subtask = _subtask_for(request, subtask_id)
    form = SubtaskReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija la institución y explique por qué."))
        return _back(subtask.incident_id)
    try:
        coordination.subtask_refer(subtask_id=subtask.pk, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _report_errors(request, error)
        return _back(subtask.incident_id)
    messages.success(request, _("Tarea derivada a %(actor)s.") % {"actor": form.cleaned_data["actor"].name})
    # After a referral the page may no longer be ours to see: go back to the list.
    if incident_list_for_user(user=request.user).filter(pk=subtask.incident_id).exists():
        return _back(subtask.incident_id)
    return HttpResponseRedirect(reverse("coordination:list"))
