"""Protected-case flow: named actors only, mandatory protection referral, no public timeline, reads logged."""

import pytest
from django.urls import reverse

from tests.factories.cms_content import ActorFactory, SubSectionFactory
from tests.workflows.flow_kinds_helpers import (
    assign_and_post,
    member,
    open_tasks,
    process_of,
    protected_category,
    report,
    task_for_subtask,
    task_url,
)
from workflows import services
from workflows.coordination_models import IncidentSubtask, SubtaskKind, SubtaskStatus
from workflows.flows import ProtectedFlow, StandardFlow
from workflows.models import IncidentEventKind, IncidentStatus, SensitiveReadLog
from workflows.selectors import incident_for_tracking, incident_list_for_user

pytestmark = pytest.mark.django_db


def protected_report(**kwargs):
    category, responsible, protection = protected_category(**kwargs)
    incident = report(category, description="Mi vecino golpea a su pareja", contact_phone="+56911112222")
    return incident, responsible, protection


def test_report_starts_the_protected_flow_with_a_mandatory_referral():
    incident, responsible, protection = protected_report()
    assert process_of(incident).flow_class is ProtectedFlow
    referral = IncidentSubtask.objects.get(incident=incident)
    assert (referral.actor, referral.kind) == (protection, SubtaskKind.PROTECTION)
    assert incident.events.filter(kind=IncidentEventKind.PROTECTION_REFERRAL, public=False).exists()
    names = sorted(t.flow_task.name for t in open_tasks(incident))
    assert names == ["protection_care", "resolve_case"]


def test_without_a_protection_actor_the_responsible_actor_gets_the_referral():
    category, responsible, _protection = protected_category()
    settings = category.workflow_settings.first()
    settings.protection_actor = None
    settings.save()
    incident = report(category)
    assert IncidentSubtask.objects.get(incident=incident).actor == responsible


def test_end_to_end_over_http_both_parts_then_closed(client):
    incident, responsible, protection = protected_report()
    protection_manager = member(protection, "agency_manager")
    client.force_login(protection_manager)
    referral = IncidentSubtask.objects.get(incident=incident)
    task = task_for_subtask(incident, "protection_care", referral.pk)
    response = assign_and_post(client, task, {"note": "Se contactó a la víctima; plan de seguridad."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == SubtaskStatus.DONE
    incident.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED

    client.force_login(member(responsible, "agency_manager"))
    response = assign_and_post(
        client,
        open_tasks(incident, "resolve_case")[0],
        {"code": "attended", "note": "Denuncia derivada a fiscalía."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert process_of(incident).status == "DONE"
    assert not incident.events.filter(kind=IncidentEventKind.RESOLVED, public=True).exists()


def test_staff_without_sensitive_permission_and_other_actors_are_refused(client, request):
    incident, responsible, protection = protected_report()
    plain_staff = member(responsible, "agency_staff")  # no view_sensitive_incident
    other_manager = member(ActorFactory(), "agency_manager")
    resolve = open_tasks(incident, "resolve_case")[0]
    for user in (
        plain_staff,
        other_manager,
        request.getfixturevalue("citizen"),
        request.getfixturevalue("authority"),
    ):
        client.force_login(user)
        assert client.post(task_url(resolve, "assign")).status_code == 403
        assert not incident_list_for_user(user=user).filter(pk=incident.pk).exists()
    # the responsible actor's manager may not do the protection actor's part
    care = open_tasks(incident, "protection_care")[0]
    client.force_login(member(responsible, "agency_manager"))
    assert client.post(task_url(care, "assign")).status_code == 403


def test_named_actors_see_it_and_every_staff_read_is_logged(client):
    incident, responsible, protection = protected_report()
    protection_manager = member(protection, "agency_manager")
    assert incident_list_for_user(user=protection_manager).filter(pk=incident.pk).exists()
    client.force_login(protection_manager)
    before = SensitiveReadLog.objects.filter(incident=incident).count()
    care = open_tasks(incident, "protection_care")[0]
    client.post(task_url(care, "assign"))
    assert client.get(task_url(care, "execute")).status_code == 200
    assert client.get(task_url(care, "detail")).status_code == 200
    process_url = reverse("protected:process_detail", args=[care.process_id])
    assert client.get(process_url).status_code == 200
    assert (
        client.get(reverse("coordination:incident", kwargs={"incident_id": incident.pk})).status_code == 200
    )
    whats = list(
        SensitiveReadLog.objects.filter(incident=incident, user=protection_manager).values_list(
            "what", flat=True
        )
    )
    assert len(whats) - 0 >= 4 and SensitiveReadLog.objects.filter(incident=incident).count() > before
    assert {"task", "task_detail", "process_detail", "coordination"} <= set(whats)


def test_other_actors_manager_cannot_open_the_process_detail(client):
    incident, _responsible, _protection = protected_report()
    client.force_login(member(ActorFactory(), "agency_manager"))
    process = process_of(incident)
    assert client.get(reverse("protected:process_detail", args=[process.pk])).status_code == 403


def test_tracking_shows_the_status_only_never_events(citizen):
    category, _responsible, _protection = protected_category()
    incident = services.incident_report(
        category=category, description="Maltrato", address="Prat 1", by=citizen, contact_phone="+56911112222"
    )
    tracked = incident_for_tracking(folio=incident.folio, user=citizen)
    assert tracked is not None and tracked.incident.status == IncidentStatus.ASSIGNED
    assert tracked.events == [] and tracked.photos == []
    assert SensitiveReadLog.objects.filter(incident=incident, via="reporter", what="tracking").exists()


def test_recategorising_into_a_protected_category_moves_the_case_to_the_protected_flow(
    client, actor, agency_manager
):
    standard_category = SubSectionFactory(responsible_actor=actor)
    incident = report(standard_category)
    assert process_of(incident).flow_class is StandardFlow
    sensitive, responsible, protection = protected_category()
    client.force_login(agency_manager)
    triage = open_tasks(incident, "triage")[0]
    response = assign_and_post(
        client, triage, {"decision": "recategorise", "category": sensitive.pk, "note": "VIF"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.category, incident.responsible_actor) == (sensitive, responsible)
    assert process_of(incident).flow_class is ProtectedFlow
    assert IncidentSubtask.objects.get(incident=incident).actor == protection
    assert [t.flow_task.name for t in open_tasks(incident) if t.process.flow_class is StandardFlow] == []
    # the old actor's manager no longer sees the case
    assert not incident_list_for_user(user=agency_manager).filter(pk=incident.pk).exists()


def test_coordination_thread_of_a_protected_case_leaves_out_staff_without_sensitive_permission():
    from workflows.selectors import incident_coordination_user_ids

    incident, responsible, protection = protected_report()
    plain_staff = member(responsible, "agency_staff")
    manager = member(responsible, "agency_manager")
    protection_manager = member(protection, "agency_manager")
    users = incident_coordination_user_ids(incident_id=incident.pk)
    assert {manager.pk, protection_manager.pk} <= users
    assert plain_staff.pk not in users


def test_reference_data_names_the_protection_actor_of_sensitive_categories(reference_data):
    from cms_content.models import IncidentCategory
    from workflows.deadlines import workflow_settings_for

    violence = IncidentCategory.objects.get(slug="violencia-intrafamiliar")
    settings = workflow_settings_for(violence)
    assert (settings.flow_kind, settings.protection_actor.slug) == ("protected", "centro-mujer-coyhaique")
