"""Triage asks the reporter for more information: the flow waits, the clock stops, the answer resumes both."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import IncidentEvent, IncidentProcess
from workflows.services.clock_pause import clock_pause_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(actor):
    category = SubSectionFactory(responsible_actor=actor)
    return services.incident_report(category=category, description="Basural", address="Prat 200")


def open_task(incident, name):
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    return Task.objects.filter(process=process, flow_task__endswith=name).exclude(status="DONE").get()


def task_url(task, action):
    return reverse(f"standard:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])


def tracking_url(incident):
    return reverse("portal:incident_detail", args=[incident.folio]) + f"?s={incident.tracking_secret}"


def ask(client, incident, manager, question):
    client.force_login(manager)
    triage = open_task(incident, "triage")
    client.post(task_url(triage, "assign"))
    return client.post(task_url(triage, "execute"), {"decision": "ask_info", "note": question})


def test_asking_pauses_the_clock_and_the_answer_returns_the_case_to_triage(client, incident, agency_manager):
    incident.due_at = timezone.now() + timedelta(days=5)
    incident.save(update_fields=["due_at"])
    response = ask(client, incident, agency_manager, "¿Frente a qué número está el basural?")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.due_at is None
    assert open_task(incident, "ask_citizen").status == "NEW"

    client.logout()
    page = client.get(tracking_url(incident)).content.decode()
    assert "¿Frente a qué número está el basural?" in page
    assert 'name="information"' in page

    response = client.post(
        reverse("portal:incident_information", args=[incident.folio]),
        {"s": incident.tracking_secret, "information": "Frente al 214"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.due_at is not None and incident.due_at > timezone.now() + timedelta(days=3)
    assert clock_pause_event(incident=incident) is None
    assert open_task(incident, "triage").status == "NEW"
    answer = IncidentEvent.objects.filter(incident=incident, note="Frente al 214").get()
    assert not answer.public
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    assert process.data["citizen_information"] == "Frente al 214"


def test_asking_without_a_question_is_refused_and_changes_nothing(client, incident, agency_manager):
    response = ask(client, incident, agency_manager, "")
    assert response.status_code == 200
    assert "pregunta para la persona" in response.content.decode()
    assert clock_pause_event(incident=incident) is None
    assert not Task.objects.filter(flow_task__endswith="ask_citizen").exists()


def test_only_the_reporter_sees_and_answers_the_question(client, incident, agency_manager):
    ask(client, incident, agency_manager, "¿Hay olor?")
    client.logout()
    public_page = client.get(reverse("portal:incident_detail", args=[incident.folio])).content.decode()
    assert 'name="information"' not in public_page
    response = client.post(
        reverse("portal:incident_information", args=[incident.folio]), {"s": "wrong", "information": "sí"}
    )
    assert response.status_code == 404
    assert clock_pause_event(incident=incident) is not None


def test_an_empty_answer_is_refused_and_the_clock_stays_stopped(client, incident, agency_manager):
    ask(client, incident, agency_manager, "¿Hay olor?")
    client.logout()
    response = client.post(
        reverse("portal:incident_information", args=[incident.folio]),
        {"s": incident.tracking_secret, "information": "   "},
        follow=True,
    )
    assert "Escriba su respuesta" in response.content.decode()
    assert clock_pause_event(incident=incident) is not None
    assert open_task(incident, "ask_citizen").status == "NEW"
