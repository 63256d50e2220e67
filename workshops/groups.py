"""Channel-layer group names and events of live workshops, built in one place (ids only in names)."""

import logging

from django.db import transaction

from chat.groups import send_now

logger = logging.getLogger(__name__)


def screen_group(workshop_id: int) -> str:
    """The trainer's projected screens of one workshop."""
    return f"workshop.{int(workshop_id)}.screen"


def people_group(workshop_id: int) -> str:
    """The participants' phones of one workshop."""
    return f"workshop.{int(workshop_id)}.people"


def results_event(*, question_id: int, results: dict) -> dict:
    """A question's new aggregated results (handler: `workshop_results`)."""
    return {"type": "workshop.results", "question": int(question_id), "results": results}


def questions_changed_event() -> dict:
    """A question was opened or closed; phones fetch the open list again (handler: `workshop_questions`)."""
    return {"type": "workshop.questions"}


def broadcast_on_commit(group: str, build_event) -> None:
    """After the commit, build the event (reading committed rows) and send it; a down layer is logged.

    Answers are stored first; a screen that missed a broadcast reloads the results over HTTP.
    """

    def send():
        try:
            send_now(group, build_event())
        except Exception:  # the layer's own errors vary (Redis, connection, timeouts)
            logger.warning("workshop broadcast to %s failed", group, exc_info=True)

    transaction.on_commit(send)
