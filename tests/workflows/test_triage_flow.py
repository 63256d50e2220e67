"""Triage and resolution: services, the StandardFlow driven in code and over HTTP, actor scoping."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from viewflow.workflow.models import Task

from tests.factories.cms_content import ActorFactory, SubSectionFactory
from workflows import services
from workflows.models import (
    IncidentEventKind,
    IncidentProcess,
    IncidentStatus,
    IncidentSupporter,
    RejectionReason,
)

pytestmark = pytest.mark.django_db


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 10)).save(buffer, "JPEG")
    return SimpleUploadedFile("evidencia.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def incident(actor):
    category = SubSectionFactory(responsible_actor=actor)
    return services.incident_report(category=category, description="Basural", address="Prat 200")


def open_task(incident, name):
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    return Task.objects.filter(process=process, flow_task__endswith=name).exclude(status="DONE").get()


# services


def test_accept_sets_priority_and_assigns(incident, agency_manager):
    services.incident_accept(incident_id=incident.pk, by=agency_manager, priority="high")
    incident.refresh_from_db()
    assert (incident.priority, incident.status) == ("high", IncidentStatus.ASSIGNED)
    assert incident.events.filter(kind=IncidentEventKind.ACCEPTED, public=False).exists()


def test_recategorise_reroutes_to_the_new_categorys_actor(incident, agency_manager):
    other_actor = ActorFactory()
    new_category = SubSectionFactory(responsible_actor=other_actor)
    services.incident_recategorise(incident_id=incident.pk, category=new_category, by=agency_manager)
    incident.refresh_from_db()
    assert (incident.category, incident.responsible_actor) == (new_category, other_actor)


def test_hand_over_must_name_another_actor_and_explain(incident, agency_manager, actor):
    with pytest.raises(ValidationError):
        services.incident_hand_over(
            incident_id=incident.pk, actor=ActorFactory(), by=agency_manager, note=" "
        )
    with pytest.raises(ValidationError):
        services.incident_hand_over(
            incident_id=incident.pk, actor=actor, by=agency_manager, note="es nuestro"
        )
    competent = ActorFactory()
    services.incident_hand_over(
        incident_id=incident.pk, actor=competent, by=agency_manager, note="Es de Vialidad"
    )
    incident.refresh_from_db()
    assert incident.responsible_actor == competent
    assert incident.events.get(kind=IncidentEventKind.HANDED_OVER).public


def test_merge_links_both_and_moves_supporters(incident, agency_manager, citizen):
    original = services.incident_report(category=incident.category, description="Basural", address="Prat 200")
    IncidentSupporter.objects.create(incident=incident, user=citizen)
    services.incident_merge_duplicate(
        incident_id=incident.pk, original_folio=original.folio.lower(), by=agency_manager
    )
    incident.refresh_from_db()
    original.refresh_from_db()
    assert incident.duplicate_of == original
    assert (incident.status, incident.rejection_reason) == (
        IncidentStatus.REJECTED,
        RejectionReason.DUPLICATE,
    )
    assert original.supporters.filter(user=citizen).exists()
    assert original.supporters_count == 2  # the moved supporter and the duplicate's reporter


def test_merge_into_itself_or_unknown_folio_is_refused(incident, agency_manager):
    for folio in (incident.folio, "CN-1999-000000"):
        with pytest.raises(ValidationError):
            services.incident_merge_duplicate(
                incident_id=incident.pk, original_folio=folio, by=agency_manager
            )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED


def test_resolving_requires_evidence_code_and_public_note(incident, agency_staff):
    with pytest.raises(ValidationError) as error:
        services.incident_resolve(
            incident_id=incident.pk, by=agency_staff, code="", public_note="", evidence=[]
        )
    assert set(error.value.message_dict) == {"code", "public_note", "evidence"}
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED


# the flow, driven in code


def test_accepted_case_goes_to_resolution_and_ends_resolved(incident, agency_manager, agency_staff):
    triage = open_task(incident, "triage")
    assert triage.flow_task.can_assign(agency_manager, triage)
    assert not triage.flow_task.can_assign(agency_staff, triage)  # staff may not triage


def test_another_actors_manager_cannot_take_the_task(incident, make_member):
    from django.contrib.auth.models import Group

    from tests.factories.accounts import UserFactory

    outsider = UserFactory()
    outsider.groups.add(Group.objects.get(name="agency_manager"))
    make_member(outsider, ActorFactory(), is_manager=True)
    triage = open_task(incident, "triage")
    assert not triage.flow_task.can_assign(outsider, triage)


# over HTTP, as each role


def task_url(task, action):
    return reverse(f"standard:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])


def assign_and_post(client, task, data):
    client.post(task_url(task, "assign"))
    return client.post(task_url(task, "execute"), data)


def test_http_walk_triage_accept_then_resolve_with_evidence(client, incident, agency_manager, agency_staff):
    client.force_login(agency_manager)
    triage = open_task(incident, "triage")
    response = assign_and_post(client, triage, {"decision": "accept", "priority": "high", "note": ""})
    assert response.status_code == 302, response.content[:2000]
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ASSIGNED

    client.force_login(agency_staff)
    resolve = open_task(incident, "resolve_case")
    response = assign_and_post(
        client, resolve, {"code": "cleaned", "public_note": "Se retiró la basura.", "evidence": [jpeg()]}
    )
    assert response.status_code == 302, response.content[:2000]
    incident.refresh_from_db()
    assert (incident.status, incident.resolution_code) == (IncidentStatus.RESOLVED, "cleaned")
    assert incident.photos.filter(is_evidence=True).count() == 1
    # Confirmation is on by default: the process now waits for the citizen (see test_confirmation.py).
    assert open_task(incident, "confirmation")


def test_http_hand_over_sends_the_case_to_the_competent_actors_triage(client, incident, agency_manager):
    competent = ActorFactory()
    client.force_login(agency_manager)
    triage = open_task(incident, "triage")
    response = assign_and_post(
        client, triage, {"decision": "hand_over", "actor": competent.pk, "note": "Corresponde a Vialidad"}
    )
    assert response.status_code == 302
    new_triage = open_task(incident, "triage")
    assert new_triage.pk != triage.pk
    assert not new_triage.flow_task.can_assign(agency_manager, new_triage)  # no longer our actor's case


def test_http_triage_without_required_field_is_refused_and_nothing_changes(client, incident, agency_manager):
    client.force_login(agency_manager)
    triage = open_task(incident, "triage")
    response = assign_and_post(client, triage, {"decision": "duplicate", "original_folio": ""})
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED
    assert open_task(incident, "triage").pk == triage.pk


@pytest.mark.parametrize("role", ["citizen", "front_desk", "auditor", "agency_staff"])
def test_roles_that_must_not_triage_are_refused(client, incident, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    triage = open_task(incident, "triage")
    client.post(task_url(triage, "assign"))
    triage.refresh_from_db()
    assert triage.owner_id is None
    response = client.post(task_url(triage, "execute"), {"decision": "accept", "priority": "low"})
    assert response.status_code in (302, 403, 404)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECEIVED


def test_queue_lists_only_the_users_actors_tasks(client, incident, agency_manager):
    other_category = SubSectionFactory(responsible_actor=ActorFactory())
    foreign = services.incident_report(category=other_category, description="Otro", address="Baquedano 1")
    client.force_login(agency_manager)
    html = client.get(reverse("standard:queue")).content.decode()
    assert f"#{open_task(incident, 'triage').process_id}/" in html
    assert f"#{open_task(foreign, 'triage').process_id}/" not in html


def test_triage_page_renders_for_the_actors_manager_in_spanish(client, incident, agency_manager):
    client.force_login(agency_manager)
    triage = open_task(incident, "triage")
    client.post(task_url(triage, "assign"))
    page = client.get(task_url(triage, "execute"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Decisión" in html and "No es de nuestra competencia" in html
