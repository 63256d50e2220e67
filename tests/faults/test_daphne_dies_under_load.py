"""One of two daphne processes is killed (SIGKILL) while citizens submit reports and neighbours chat.

Clients do what nginx's upstream failover and the offline queue do: a request that got no answer is sent
again, with the same Idempotency-Key, to the process still alive. Every report ends as exactly one
incident with the folio its client was given; the surviving process keeps answering; a neighbour whose
socket died reconnects to it and finds every acknowledged message. PostgreSQL + Redis only.
"""

import asyncio
import json
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from chat.models import Membership, Message, Room, RoomKind
from tests.factories.accounts import UserFactory
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from tests.scale.daphnes import running_daphnes
from tests.scale.test_two_daphne import _next_frame, _session_cookie, _socket
from workflows.models import Incident

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="two processes share state through Redis: set REDIS_URL"),
]
CLIENTS = 6
REPORTS_PER_CLIENT = 8
KILL_AFTER = 12  # acknowledged reports before the first process dies


def _post_report(url: str, body: dict, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{url}/api/incidents/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as answer:
        return answer.code, {}


def _report_with_failover(urls: list[str], first: int, body: dict, key: str, log: list) -> dict:
    """Send to urls[first]; without an answer, the same request with the same key to the next one."""
    for attempt in range(8):
        url = urls[(first + attempt) % len(urls)]
        try:
            status, answer = _post_report(url, body, key)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            log.append(("no answer", url, type(error).__name__))
            time.sleep(0.2)
            continue
        log.append((status, url, key))
        if status in (200, 201):
            return {"key": key, "folio": answer["folio"], "status": status}
        if status in (409, 503):  # the key is still held by the dead process's transaction, or no database
            time.sleep(0.5)
            continue
        return {"key": key, "folio": None, "status": status}
    return {"key": key, "folio": None, "status": "gave up"}


def test_killing_one_of_two_daphnes_under_load_loses_no_report_and_no_message():
    NeighbourhoodFactory()
    category = SubSectionFactory()
    room = Room.objects.create(
        kind=RoomKind.NEIGHBOURHOOD, name="Barrio Centro", neighbourhood=NeighbourhoodFactory()
    )
    writer, reader = UserFactory(), UserFactory()
    for user in (writer, reader):
        Membership.objects.create(user=user, room=room)
    writer_cookie, reader_cookie = _session_cookie(writer), _session_cookie(reader)
    body = {
        "category": category.slug,
        "description": "Poste caído",
        "latitude": -45.5712,
        "longitude": -72.0685,
    }

    with running_daphnes(2, redis_url=REDIS_URL, API_INCIDENT_CREATE_RATE="100000/hour") as (
        doomed,
        survivor,
    ):
        urls = [doomed.url, survivor.url]
        acknowledged = threading.Semaphore(0)
        log: list = []

        def client(number: int) -> list[dict]:
            results = []
            for index in range(REPORTS_PER_CLIENT):
                key = f"caida-{number}-{index}"
                result = _report_with_failover(
                    urls, (number + index) % 2, {**body, "description": key}, key, log
                )
                results.append(result)
                acknowledged.release()
            return results

        async def chat_before_and_after() -> tuple[list[int], list[int]]:
            """The reader listens on the doomed process; the writer writes on the survivor throughout."""
            listener = await _socket(doomed.port, f"/ws/chat/{room.pk}/", reader_cookie)
            sender = await _socket(survivor.port, f"/ws/chat/{room.pk}/", writer_cookie)
            acked = []
            for n in range(3):
                await sender.send(
                    json.dumps({"type": "message.send", "client_id": f"antes-{n}", "body": f"antes {n}"})
                )
                acked.append((await _next_frame(sender, "ack"))["id"])
            heard = [(await _next_frame(listener, "message"))["id"] for _ in range(3)]
            return listener, sender, acked, heard

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            loop = asyncio.new_event_loop()
            listener, sender, acked, heard = loop.run_until_complete(chat_before_and_after())
            futures = [pool.submit(client, number) for number in range(CLIENTS)]
            for _ in range(KILL_AFTER):
                assert acknowledged.acquire(timeout=60), "reports stopped being answered before the kill"
            doomed.process.kill()  # SIGKILL: no shutdown, open requests and sockets die with it
            killed_at = time.monotonic()

            async def after_the_kill():
                # The reader's socket died with its process (no close frame).
                with pytest.raises(Exception):  # noqa: B017 - websockets raises ConnectionClosed* variants
                    await asyncio.wait_for(listener.recv(), timeout=10)
                for n in range(3):
                    await sender.send(
                        json.dumps(
                            {"type": "message.send", "client_id": f"despues-{n}", "body": f"después {n}"}
                        )
                    )
                    acked.append((await _next_frame(sender, "ack"))["id"])
                await sender.close()
                # Reconnected to the survivor, the page resyncs over HTTP from its last id.
                resync = await asyncio.get_running_loop().run_in_executor(
                    None, _history_after, survivor.url, room.pk, heard[-1], reader_cookie
                )
                return resync

            resynced = loop.run_until_complete(after_the_kill())
            loop.close()
            results = [result for future in futures for result in future.result(timeout=120)]
        recovered_in = time.monotonic() - killed_at
        assert doomed.process.poll() is not None
        with urllib.request.urlopen(f"{survivor.url}/health/", timeout=5) as health:
            assert health.status == 200

    # Reports: every key answered with a folio, one incident per key, the folio its client was given.
    assert len(results) == CLIENTS * REPORTS_PER_CLIENT
    failed = [result for result in results if not result["folio"]]
    assert failed == [], (failed, log[-20:])
    incidents = {incident.description: incident.folio for incident in Incident.objects.all()}
    assert len(incidents) == len(results)
    assert all(incidents[result["key"]] == result["folio"] for result in results)
    failovers = [entry for entry in log if entry[0] == "no answer"]
    assert failovers, "no report met the dead process: the kill did not happen under load"
    assert recovered_in < 120
    # Chat: the messages heard before the kill, then everything acknowledged after it, in order.
    assert heard == acked[:3]
    assert heard + resynced == acked
    assert Message.objects.filter(room=room).count() == 6


def _history_after(url: str, room_id: int, after: int, cookie: str) -> list[int]:
    request = urllib.request.Request(
        f"{url}/chat/{room_id}/historial/?after={after}", headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return [message["id"] for message in json.loads(response.read())["messages"]]
