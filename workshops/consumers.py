"""Live workshop sockets: the trainer's results screen and the participants' phones.

/ws/talleres/<id>/pantalla/    trainer (signed in, may run the workshop). Frames in:
    {"type": "results.get", "question": <id>} (sent on every (re)connect: resync after a gap)
    {"type": "ping"}
    Frames out: {"type": "results", "question": <id>, "results": {...as selectors.question_results}}
/ws/talleres/<id>/participante/ a phone that joined with the workshop code (participant secret in its
    session). Frames in: {"type": "answer", "question": <id>, "value": ...}  {"type": "ping"}
    Frames out: {"type": "questions", "questions": [...open questions]}  {"type": "ack", "question": <id>}
    {"type": "pong"}  {"type": "error", "code", "message"?}  — the socket stays open on errors.
Refused connections are accepted and closed with 4403 (a browser cannot read a refused handshake).
"""

from channels.db import database_sync_to_async

from chat.consumers.base import StrictJsonConsumer
from workshops import groups, selectors, services
from workshops.models import Question, WorkshopPage
from workshops.participants import participant_from_session

CLOSE_NOT_ALLOWED = 4403
FRAME_CHARS = 8 * 1024


def _results_of(workshop_id: int, question_id: int) -> dict | None:
    question = Question.objects.filter(workshop_id=workshop_id, pk=question_id).first()
    return selectors.question_results(question=question) if question else None


def _screen_allowed(user, workshop_id: int) -> bool:
    workshop = WorkshopPage.objects.filter(pk=workshop_id).first()
    return workshop is not None and selectors.can_run(user=user, workshop=workshop)


class ScreenConsumer(StrictJsonConsumer):
    max_frame_chars = FRAME_CHARS

    async def connect(self):
        self.workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        self.group = None
        if not await database_sync_to_async(_screen_allowed)(self.scope.get("user"), self.workshop_id):
            await self.accept()
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.group = groups.screen_group(self.workshop_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        if content["type"] != "results.get":
            await self.send_error("unknown_type")
            return
        question_id = content.get("question")
        if not isinstance(question_id, int) or isinstance(question_id, bool):
            await self.send_error("invalid_frame")
            return
        results = await database_sync_to_async(_results_of)(self.workshop_id, question_id)
        if results is None:
            await self.send_error("not_found")
            return
        await self.send_json({"type": "results", "question": question_id, "results": results})

    async def workshop_results(self, event):
        await self.send_json({"type": "results", "question": event["question"], "results": event["results"]})


class ParticipantConsumer(StrictJsonConsumer):
    max_frame_chars = FRAME_CHARS

    async def connect(self):
        self.workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        self.group = None
        session = self.scope.get("session")
        self.participant = (
            await database_sync_to_async(participant_from_session)(session, workshop_id=self.workshop_id)
            if session is not None
            else None
        )
        if self.participant is None:
            await self.accept()
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.group = groups.people_group(self.workshop_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_questions()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def send_questions(self):
        questions = await database_sync_to_async(selectors.open_questions)(workshop_id=self.workshop_id)
        await self.send_json({"type": "questions", "questions": questions})

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        if content["type"] != "answer":
            await self.send_error("unknown_type")
            return
        question_id = content.get("question")
        if not isinstance(question_id, int) or isinstance(question_id, bool):
            await self.send_error("invalid_frame")
            return
        try:
            await database_sync_to_async(services.answer_submit)(
                participant=self.participant, question_id=question_id, value=content.get("value")
            )
        except services.WorkshopError as error:
            await self.send_json(
                {"type": "error", "code": error.code, "message": error.message, "question": question_id}
            )
            return
        await self.send_json({"type": "ack", "question": question_id})

    async def workshop_questions(self, event):
        await self.send_questions()
