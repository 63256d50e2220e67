"""Scale-out: two daphne processes over one database and one Redis behave as one site.

tests/chat/test_redis_across_processes.py proves the Redis layer carries a group event between two bare
processes. Here two real daphne servers (full ASGI stack: origin check, sessions, consumers, database)
serve the test database: a chat message posted through one reaches a member connected to the other, and an
incident's status change made through one (the agency manager's triage, over HTTP) reaches the tracking
socket of a citizen connected to the other.
"""

import asyncio
import json
import os
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from websockets.asyncio.client import connect

from chat.models import Membership, Room, RoomKind
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from tests.scale.daphnes import running_daphnes
from workflows import services
from workflows.models import IncidentProcess

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),  # the servers read what the test commits
    pytest.mark.skipif(not REDIS_URL, reason="two processes share state through Redis: set REDIS_URL"),
]


@pytest.fixture
def two_daphnes():
    """Ports of two daphne processes on the test database and one Redis channel prefix."""
    with running_daphnes(2, redis_url=REDIS_URL) as daphnes:
        yield [daphne.port for daphne in daphnes]


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def _socket(port: int, path: str, cookie: str | None = None):
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    return await connect(f"ws://127.0.0.1:{port}{path}", additional_headers=headers, open_timeout=20)


async def _next_frame(ws, wanted: str, timeout: float = 20) -> dict:
    """The next frame of type `wanted` (presence and other frames are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.monotonic())))
        if frame.get("type") == wanted:
            return frame


def _post_form(port: int, path: str, cookie: str, fields: dict) -> int:
    """POST a form as a browser would (session and CSRF cookie); the status, redirects not followed."""
    token = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and field carry the same value
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


def test_chat_message_posted_through_one_process_reaches_a_member_on_the_other(two_daphnes):
    first, second = two_daphnes
    room = Room.objects.create(
        kind=RoomKind.NEIGHBOURHOOD, name="Barrio Centro", neighbourhood=NeighbourhoodFactory()
    )
    author, reader = UserFactory(), UserFactory()
    for user in (author, reader):
        Membership.objects.create(user=user, room=room)
    author_cookie, reader_cookie = _session_cookie(author), _session_cookie(reader)

    async def scenario():
        listener = await _socket(second, f"/ws/chat/{room.pk}/", reader_cookie)
        sender = await _socket(first, f"/ws/chat/{room.pk}/", author_cookie)
        try:
            await sender.send(
                json.dumps({"type": "message.send", "client_id": "escala-1", "body": "Hola desde 1"})
            )
            ack = await _next_frame(sender, "ack")
            message = await _next_frame(listener, "message")
            return ack, message
        finally:
            await sender.close()
            await listener.close()

    ack, message = asyncio.run(scenario())
    assert message["body"] == "Hola desde 1"
    assert message["id"] == ack["id"]
    assert message["author_id"] == author.pk
    assert "client_id" not in message  # only the author's own copy carries it


def test_status_change_made_through_one_process_reaches_a_tracking_socket_on_the_other(
    two_daphnes, actor, agency_manager
):
    first, second = two_daphnes
    category = SubSectionFactory(responsible_actor=actor)
    incident = services.incident_report(category=category, description="Basural", address="Prat 200")
    process = IncidentProcess.objects.get(artifact_object_id=incident.pk)
    triage = Task.objects.filter(process=process, flow_task__endswith="triage").exclude(status="DONE").get()
    manager_cookie = _session_cookie(agency_manager)

    def task_path(action: str) -> str:
        return reverse(f"standard:triage:{action}", args=[triage.process_id, triage.pk])

    async def scenario():
        path = f"/ws/incidents/{incident.folio}/?s={incident.tracking_secret}"
        tracking = await _socket(second, path)
        try:
            # The agency manager accepts the report through the other process (viewflow's task screens).
            loop = asyncio.get_running_loop()
            assigned = await loop.run_in_executor(
                None, _post_form, first, task_path("assign"), manager_cookie, {}
            )
            accepted = await loop.run_in_executor(
                None,
                _post_form,
                first,
                task_path("execute"),
                manager_cookie,
                {"decision": "accept", "priority": "low"},
            )
            frame = await _next_frame(tracking, "incident_status")
            return assigned, accepted, frame
        finally:
            await tracking.close()

    assigned, accepted, frame = asyncio.run(scenario())
    assert (assigned, accepted) == (302, 302)
    assert frame["folio"] == incident.folio
    assert frame["status"] == "assigned"
    incident.refresh_from_db()
    assert incident.status == "assigned"
