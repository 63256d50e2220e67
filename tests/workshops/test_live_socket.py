"""The live sockets through the real ASGI application: phones answer, the trainer's screen aggregates."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, redis_layer_settings, reset_channel_layers, session_cookie_for
from tests.workshops.helpers import make_workshop
from workshops import services
from workshops.models import Answer, QuestionKind, QuestionStatus

pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = ["Luminarias", "Microtráfico", "Perros sueltos", "Basura", "Robos"]


@pytest.fixture(autouse=True)
async def _close_worker_thread_connections():
    """Close the connection the sockets' worker thread opened, so the test database can be dropped."""
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    if request.param == "redis":
        settings.CHANNEL_LAYERS = redis_layer_settings()
    reset_channel_layers()
    yield request.param
    reset_channel_layers()


@pytest.fixture
def live_workshop(trainer):
    return make_workshop(trainer=trainer, capacity=30)


def _phone_cookie(workshop) -> tuple[bytes, bytes]:
    client = Client()
    client.post(reverse("workshops:join"), {"code": workshop.live_code})
    return (
        b"cookie",
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode(),
    )


async def _connect(path, cookie=None):
    headers = [ORIGIN] + ([cookie] if cookie else [])
    communicator = WebsocketCommunicator(application, path, headers=headers)
    accepted, _ = await communicator.connect(timeout=5)
    assert accepted
    return communicator


async def _results_until(screen, count):
    """Screen frames until the results show `count` answers (broadcasts may arrive in any order)."""
    while True:
        frame = await screen.receive_json_from(timeout=5)
        assert frame["type"] == "results"
        if frame["results"]["count"] == count:
            return frame


async def test_several_phones_answer_and_the_screen_aggregates_live(layer, live_workshop, trainer):
    workshop = live_workshop
    question = await sync_to_async(services.question_create)(
        workshop=workshop, kind=QuestionKind.RANK, prompt="Ordene", options=GROUPS, user=trainer
    )
    await sync_to_async(services.question_set_status)(
        workshop=workshop, question_id=question.pk, status=QuestionStatus.OPEN, user=trainer
    )
    screen = await _connect(
        f"/ws/talleres/{workshop.pk}/pantalla/", await sync_to_async(session_cookie_for)(trainer)
    )
    phones = []
    for _ in range(3):
        phone = await _connect(
            f"/ws/talleres/{workshop.pk}/participante/", await sync_to_async(_phone_cookie)(workshop)
        )
        first = await phone.receive_json_from(timeout=5)
        assert first["type"] == "questions" and [q["id"] for q in first["questions"]] == [question.pk]
        assert first["questions"][0]["options"] == GROUPS
        phones.append(phone)

    ballots = [[0, 1, 2, 3, 4], [1, 0], [1, 4]]
    for phone, ballot in zip(phones, ballots, strict=True):
        await phone.send_json_to({"type": "answer", "question": question.pk, "value": ballot})
        assert await phone.receive_json_from(timeout=5) == {"type": "ack", "question": question.pk}

    frame = await _results_until(screen, 3)
    points = {row["label"]: row["points"] for row in frame["results"]["items"]}
    # Microtráfico 4 + 5 + 5 = 14, Luminarias 5 + 4 = 9, Robos 1 + 4 = 5.
    assert points == {"Microtráfico": 14, "Luminarias": 9, "Robos": 5, "Perros sueltos": 3, "Basura": 2}
    assert frame["results"]["items"][0]["label"] == "Microtráfico"
    assert await sync_to_async(Answer.objects.count)() == 3
    for communicator in [screen, *phones]:
        await communicator.disconnect()


async def test_opening_a_question_refreshes_the_phones(layer, live_workshop, trainer):
    workshop = live_workshop
    phone = await _connect(
        f"/ws/talleres/{workshop.pk}/participante/", await sync_to_async(_phone_cookie)(workshop)
    )
    assert (await phone.receive_json_from(timeout=5)) == {"type": "questions", "questions": []}
    question = await sync_to_async(services.question_create)(
        workshop=workshop, kind=QuestionKind.TEXT, prompt="¿Qué le preocupa?", user=trainer
    )
    await sync_to_async(services.question_set_status)(
        workshop=workshop, question_id=question.pk, status=QuestionStatus.OPEN, user=trainer
    )
    frame = await phone.receive_json_from(timeout=5)
    assert [q["prompt"] for q in frame["questions"]] == ["¿Qué le preocupa?"]
    await phone.disconnect()


async def test_bad_frames_get_an_error_and_the_socket_stays_open(live_workshop, trainer):
    workshop = live_workshop
    question = await sync_to_async(services.question_create)(
        workshop=workshop, kind=QuestionKind.CHOICE, prompt="¿Sí o no?", options=["Sí", "No"], user=trainer
    )
    phone = await _connect(
        f"/ws/talleres/{workshop.pk}/participante/", await sync_to_async(_phone_cookie)(workshop)
    )
    await phone.receive_json_from(timeout=5)
    await phone.send_to(text_data="{no es json")
    assert (await phone.receive_json_from(timeout=5))["code"] == "invalid_json"
    await phone.send_to(text_data='{"type": "answer", "question": 1, "value": NaN}')
    assert (await phone.receive_json_from(timeout=5))["code"] == "invalid_json"
    await phone.send_json_to({"type": "answer", "question": "1"})
    assert (await phone.receive_json_from(timeout=5))["code"] == "invalid_frame"
    await phone.send_json_to({"type": "answer", "question": question.pk, "value": 0})
    closed = await phone.receive_json_from(timeout=5)
    assert closed["code"] == "closed" and "ya no recibe" in closed["message"]
    await phone.send_json_to({"type": "ping"})
    assert (await phone.receive_json_from(timeout=5)) == {"type": "pong"}
    await phone.disconnect()


async def test_strangers_are_closed_with_4403(live_workshop, citizen):
    workshop = live_workshop
    for path, cookie in [
        (f"/ws/talleres/{workshop.pk}/participante/", None),
        (f"/ws/talleres/{workshop.pk}/pantalla/", None),
        (f"/ws/talleres/{workshop.pk}/pantalla/", await sync_to_async(session_cookie_for)(citizen)),
        ("/ws/talleres/999999/pantalla/", await sync_to_async(session_cookie_for)(citizen)),
    ]:
        communicator = await _connect(path, cookie)
        assert await communicator.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}


async def test_the_screen_resyncs_the_results_it_asks_for(live_workshop, trainer):
    workshop = live_workshop
    question = await sync_to_async(services.question_create)(
        workshop=workshop, kind=QuestionKind.CHOICE, prompt="¿Sí o no?", options=["Sí", "No"], user=trainer
    )
    cookie = await sync_to_async(session_cookie_for)(trainer)
    screen = await _connect(f"/ws/talleres/{workshop.pk}/pantalla/", cookie)
    await screen.send_json_to({"type": "results.get", "question": question.pk})
    frame = await screen.receive_json_from(timeout=5)
    assert frame["type"] == "results" and frame["results"]["items"] == [
        {"label": "Sí", "count": 0},
        {"label": "No", "count": 0},
    ]
    other = await sync_to_async(make_workshop)(trainer=trainer)
    foreign = await sync_to_async(services.question_create)(
        workshop=other, kind=QuestionKind.TEXT, prompt="Ajena", user=trainer
    )
    await screen.send_json_to({"type": "results.get", "question": foreign.pk})
    assert (await screen.receive_json_from(timeout=5)) == {
        "type": "error",
        "code": "not_found",
        "detail": "Lo que busca ya no existe.",
    }
    await screen.send_json_to({"type": "results.get", "question": "1"})
    assert (await screen.receive_json_from(timeout=5))["code"] == "invalid_frame"
    await screen.disconnect()
