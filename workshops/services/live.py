"""Live activities: the trainer's questions, participants joining with the code, and their answers.

Every answer is stored first; after the commit the question's aggregated results go to the trainer's
screens over the channel layer (workshops.groups).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms_content.validators import PLAIN_TEXT
from workshops import groups
from workshops.codes import normalise_code, secret_token
from workshops.models import (
    ANSWER_MAX_CHARS,
    MAX_LIST_ITEMS,
    MAX_OPTIONS,
    RANK_SIZE,
    Answer,
    Participant,
    Question,
    QuestionKind,
    QuestionStatus,
    Suggestion,
    SuggestionKind,
    WorkshopPage,
)
from workshops.services.errors import WorkshopError

ITEM_MAX_CHARS = 150
_PROPOSALS = {
    QuestionKind.PROPOSE_CATEGORY: SuggestionKind.CATEGORY,
    QuestionKind.PROPOSE_ACTOR: SuggestionKind.ACTOR,
}


def _plain(value, *, max_length: int, what: str) -> str:
    if not isinstance(value, str):
        raise WorkshopError(_("La respuesta no tiene el formato esperado."))
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if not text:
        raise WorkshopError(_("Escriba %(what)s.") % {"what": what}, code="empty")
    if len(text) > max_length:
        raise WorkshopError(_("El texto es demasiado largo (máximo %(n)s letras).") % {"n": max_length})
    try:
        for validator in PLAIN_TEXT:
            validator(text)
    except ValidationError as error:
        raise WorkshopError(error.messages[0]) from None
    return text


def _options(kind: str, options) -> list[str]:
    if kind not in (QuestionKind.CHOICE, QuestionKind.RANK):
        return []
    if isinstance(options, str):
        options = options.splitlines()
    cleaned = []
    for option in options or []:
        text = " ".join(str(option).split())
        if text and text.casefold() not in {seen.casefold() for seen in cleaned}:
            cleaned.append(_plain(text, max_length=ITEM_MAX_CHARS, what=_("la alternativa")))
    if len(cleaned) < 2:
        raise WorkshopError(_("Escriba al menos dos alternativas, una por línea."))
    if len(cleaned) > MAX_OPTIONS:
        raise WorkshopError(_("Use como máximo %(n)s alternativas.") % {"n": MAX_OPTIONS})
    return cleaned


def question_create(*, workshop: WorkshopPage, kind: str, prompt: str, options=None, user) -> Question:
    if kind not in QuestionKind.values:
        raise WorkshopError(_("Elija un tipo de pregunta de la lista."))
    return Question.objects.create(
        workshop=workshop,
        kind=kind,
        prompt=_plain(prompt, max_length=300, what=_("la pregunta")),
        options=_options(kind, options),
        created_by=user,
    )


def _question_of(workshop: WorkshopPage, question_id) -> Question:
    question = Question.objects.filter(
        workshop=workshop, pk=question_id if str(question_id).isdigit() else None
    ).first()
    if question is None:
        raise WorkshopError(_("Esa pregunta no es de este taller."), code="not_found")
    return question


def question_set_status(*, workshop: WorkshopPage, question_id: int, status: str, user) -> Question:
    """Open or close a question; the participants' phones refresh their list of open questions."""
    if status not in (QuestionStatus.OPEN, QuestionStatus.CLOSED):
        raise WorkshopError(_("Ese cambio no es posible."))
    with transaction.atomic():
        question = _question_of(workshop, question_id)
        question.status = status
        if status == QuestionStatus.OPEN:
            question.opened_at, question.closed_at = timezone.now(), None
        else:
            question.closed_at = timezone.now()
        question.save(update_fields=["status", "opened_at", "closed_at"])
        groups.broadcast_on_commit(groups.people_group(workshop.pk), groups.questions_changed_event)
    return question


def participant_join(*, code: str) -> tuple[WorkshopPage, Participant]:
    """A phone joins with the workshop code; the participant's secret goes in its session."""
    wanted = normalise_code(code)
    workshop = WorkshopPage.objects.live().filter(live_code=wanted).first() if wanted else None
    if workshop is None:
        raise WorkshopError(
            _("No hay un taller con ese código. Revise las letras y números."), code="not_found"
        )
    return workshop, Participant.objects.create(workshop=workshop, token=secret_token())


def _answer_value(question: Question, value):
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return _plain(value, max_length=ANSWER_MAX_CHARS, what=_("su respuesta"))
    if kind == QuestionKind.LIST:
        items = value.splitlines() if isinstance(value, str) else value
        if not isinstance(items, list):
            raise WorkshopError(_("La respuesta no tiene el formato esperado."))
        items = [
            _plain(item, max_length=ITEM_MAX_CHARS, what=_("una idea")) for item in items if str(item).strip()
        ]
        if not items:
            raise WorkshopError(_("Escriba al menos una idea."), code="empty")
        if len(items) > MAX_LIST_ITEMS:
            raise WorkshopError(_("Escriba como máximo %(n)s ideas.") % {"n": MAX_LIST_ITEMS})
        return items
    if kind == QuestionKind.CHOICE:
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(question.options):
            raise WorkshopError(_("Elija una de las alternativas."), code="empty")
        return value
    if kind == QuestionKind.RANK:
        if not isinstance(value, list) or not value:
            raise WorkshopError(_("Elija al menos una alternativa."), code="empty")
        ranked = [int(v) if isinstance(v, str) and v.isdigit() else v for v in value]
        if any(
            not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < len(question.options)
            for v in ranked
        ):
            raise WorkshopError(_("Elija solo alternativas de la lista."))
        if len(set(ranked)) != len(ranked):
            raise WorkshopError(_("Cada alternativa puede ir en un solo lugar."))
        if len(ranked) > RANK_SIZE:
            raise WorkshopError(_("Elija como máximo %(n)s alternativas.") % {"n": RANK_SIZE})
        return ranked
    # Proposals: a name and an optional description.
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise WorkshopError(_("La respuesta no tiene el formato esperado."))
    description = value.get("description") or ""
    return {
        "name": _plain(value.get("name"), max_length=ITEM_MAX_CHARS, what=_("el nombre")),
        "description": _plain(description, max_length=ANSWER_MAX_CHARS, what="") if description else "",
    }


def answer_submit(*, participant: Participant, question_id, value) -> Answer:
    """Store (or replace) a participant's answer to an open question of their workshop."""
    question = Question.objects.filter(
        workshop_id=participant.workshop_id, pk=question_id if str(question_id).isdigit() else None
    ).first()
    if question is None:
        raise WorkshopError(_("Esa pregunta no es de este taller."), code="not_found")
    if question.status != QuestionStatus.OPEN:
        raise WorkshopError(_("Esta pregunta ya no recibe respuestas."), code="closed")
    cleaned = _answer_value(question, value)
    try:
        with transaction.atomic():
            answer, _created = Answer.objects.update_or_create(
                question=question, participant=participant, defaults={"value": cleaned}
            )
            if question.kind in _PROPOSALS:
                Suggestion.objects.update_or_create(
                    answer=answer,
                    defaults={
                        "workshop_id": question.workshop_id,
                        "kind": _PROPOSALS[question.kind],
                        "name": cleaned["name"],
                        "description": cleaned["description"],
                    },
                )
            _broadcast_results(question)
    except IntegrityError:
        # The same phone answered twice at the same instant: the other answer won; ask to retry.
        raise WorkshopError(_("No pudimos guardar su respuesta. Intente de nuevo."), code="retry") from None
    return answer


def _broadcast_results(question: Question) -> None:
    from workshops.selectors import question_results

    def build():
        return groups.results_event(question_id=question.pk, results=question_results(question=question))

    groups.broadcast_on_commit(groups.screen_group(question.workshop_id), build)
