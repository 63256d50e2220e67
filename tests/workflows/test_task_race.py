"""Two requests on one task at once: exactly one wins, the other gets a Spanish 409, never a 500.

Real threads on PostgreSQL (SQLite serialises every writer, so it cannot show the race). Each scenario
runs RUNS times, first with the flow's lock switched off (viewflow's `no_lock`): the test must catch the
double completion at least once, else it proves nothing; then with the flow's own lock: every run clean.
Two worker threads are reused for all runs and one case is reset between runs, so it stays quick.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from viewflow.workflow import lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import Incident, IncidentEvent, IncidentEventKind, IncidentProcess, IncidentStatus

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = 200


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("La carrera necesita PostgreSQL: SQLite bloquea toda la base en cada escritura.")


@pytest.fixture
def pool():
    """Two long-lived worker threads; each closes its own DB connection at the end."""
    executor = ThreadPoolExecutor(max_workers=2)
    yield executor

    def close():
        from django.db import connections

        connections.close_all()

    barrier = threading.Barrier(2)
    list(executor.map(lambda _i: (barrier.wait(), close()), range(2)))
    executor.shutdown()


def _case(actor):
    category = SubSectionFactory(responsible_actor=actor)
    incident = services.incident_report(category=category, description="Basural", address="Prat 200")
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    triage = Task.objects.get(process=process, flow_task__endswith="triage")
    return incident, process, triage


def _url(task, action):
    return reverse(f"standard:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _race(pool, calls):
    """Run both calls released together by a barrier; returns their responses."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    return list(pool.map(run, calls))


def _reset_triage(incident, process, triage, owner):
    """Put the case back where it was before the race: triage assigned to `owner`, nothing after it."""
    Task.objects.filter(process=process).exclude(pk=triage.pk).exclude(flow_task__endswith="start").delete()
    Task.objects.filter(pk=triage.pk).update(status=STATUS.ASSIGNED, owner=owner, started=None, finished=None)
    Incident.objects.filter(pk=incident.pk).update(status=IncidentStatus.RECEIVED)
    IncidentEvent.objects.filter(incident=incident).exclude(kind=IncidentEventKind.REPORTED).delete()


def _complete_race(pool, clients, incident, process, triage, owner):
    """The same agent submits the triage twice at once (two devices, a double click)."""
    _reset_triage(incident, process, triage, owner)
    url = _url(triage, "execute")
    data = {"decision": "accept", "priority": "high", "note": ""}
    responses = _race(pool, [lambda c=c: c.post(url, data) for c in clients])
    completions = IncidentEvent.objects.filter(incident=incident, kind=IncidentEventKind.ACCEPTED).count()
    return responses, completions


def _take_race(pool, clients, triage):
    """Two agents take the same queued task at once."""
    Task.objects.filter(pk=triage.pk).update(status=STATUS.NEW, owner=None)
    url = _url(triage, "assign")
    responses = _race(pool, [lambda c=c: c.post(url, {"_confirm": "1"}) for c in clients])
    winners = sum(response.status_code == 302 for response in responses)
    return responses, winners


@pytest.fixture
def race_data(postgresql_only, actor, agency_manager, make_member):
    from django.contrib.auth.models import Group

    from portal.roles import Role
    from tests.factories.accounts import UserFactory

    second_manager = UserFactory()
    second_manager.groups.add(Group.objects.get(name=Role.AGENCY_MANAGER))
    make_member(second_manager, actor, is_manager=True)
    incident, process, triage = _case(actor)
    return {
        "incident": incident,
        "process": process,
        "triage": triage,
        "owner": agency_manager,
        "same_agent_twice": [_client(agency_manager), _client(agency_manager)],
        "two_agents": [_client(agency_manager), _client(second_manager)],
    }


def _assert_clean(responses):
    codes = sorted(response.status_code for response in responses)
    assert codes == [302, 409], codes
    loser = next(response for response in responses if response.status_code == 409)
    return loser.content.decode()


def test_double_completion_is_caught_without_lock_and_never_happens_with_it(pool, race_data, monkeypatch):
    data = race_data
    flow_class = data["process"].flow_class
    args = (pool, data["same_agent_twice"], data["incident"], data["process"], data["triage"], data["owner"])

    with monkeypatch.context() as patched:
        patched.setattr(flow_class, "lock_impl", lock.no_lock)
        doubled = 0
        for _run in range(RUNS):
            _responses, completions = _complete_race(*args)
            doubled += completions > 1
            if doubled:
                break
    assert doubled, "sin bloqueo la carrera debería completar la tarea dos veces al menos una vez"

    for run in range(RUNS):
        responses, completions = _complete_race(*args)
        assert completions == 1, f"corrida {run}: {completions} completaciones"
        html = _assert_clean(responses)
        assert "ya fue completada" in html
        human_steps = Task.objects.filter(process=data["process"], flow_task_type="HUMAN")
        assert human_steps.exclude(pk=data["triage"].pk).count() == 1  # one next step, not two


def test_two_agents_taking_one_task_only_one_gets_it(pool, race_data, monkeypatch):
    data = race_data
    flow_class = data["process"].flow_class

    with monkeypatch.context() as patched:
        patched.setattr(flow_class, "lock_impl", lock.no_lock)
        both = 0
        for _run in range(RUNS):
            _responses, winners = _take_race(pool, data["two_agents"], data["triage"])
            both += winners > 1
            if both:
                break
    assert both, "sin bloqueo ambas personas deberían tomar la tarea al menos una vez"

    for run in range(RUNS):
        responses, winners = _take_race(pool, data["two_agents"], data["triage"])
        assert winners == 1, f"corrida {run}"
        assert "ya fue tomada por otra persona" in _assert_clean(responses)


def test_late_completion_answers_409_in_spanish_not_403(client, actor, agency_manager):
    incident, _process, triage = _case(actor)
    client.force_login(agency_manager)
    client.post(_url(triage, "assign"))
    data = {"decision": "accept", "priority": "high", "note": ""}
    assert client.post(_url(triage, "execute"), data).status_code == 302
    late = client.post(_url(triage, "execute"), data)
    assert late.status_code == 409
    assert "ya fue completada" in late.content.decode()


def test_someone_without_access_still_gets_403_not_409(client, actor, agency_manager, citizen):
    _incident, _process, triage = _case(actor)
    client.force_login(agency_manager)
    client.post(_url(triage, "assign"))
    client.force_login(citizen)
    response = client.post(_url(triage, "execute"), {"decision": "accept", "priority": "high"})
    assert response.status_code == 403
