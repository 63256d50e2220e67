"""Where a phone's participant secret lives: in its Django session, one per workshop (no account)."""

from workshops.models import Participant

SESSION_KEY = "workshop_participants"


def remember(session, participant: Participant) -> None:
    tokens = dict(session.get(SESSION_KEY) or {})
    tokens[str(participant.workshop_id)] = participant.token
    session[SESSION_KEY] = tokens


def participant_from_session(session, *, workshop_id: int) -> Participant | None:
    tokens = session.get(SESSION_KEY) or {}
    token = tokens.get(str(int(workshop_id))) if isinstance(tokens, dict) else None
    if not isinstance(token, str) or not token:
        return None
    return Participant.objects.filter(token=token, workshop_id=workshop_id).first()
