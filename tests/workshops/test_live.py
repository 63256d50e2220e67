"""Live questions: creating, opening, answering, validation, proposals, aggregation, CSV of answers."""

import csv
import io

import pytest
from django.urls import reverse

from workshops import selectors, services
from workshops.models import Answer, QuestionKind, QuestionStatus, Suggestion, SuggestionKind
from workshops.participants import SESSION_KEY

pytestmark = pytest.mark.django_db

GROUPS = ["Luminarias", "Microtráfico", "Perros sueltos", "Basura", "Robos", "Tránsito"]


def open_question(workshop, trainer, kind, prompt="¿Qué pasa en su barrio?", options=None):
    question = services.question_create(
        workshop=workshop, kind=kind, prompt=prompt, options=options, user=trainer
    )
    return services.question_set_status(
        workshop=workshop, question_id=question.pk, status=QuestionStatus.OPEN, user=trainer
    )


def participants(workshop, n):
    return [services.participant_join(code=workshop.live_code.lower())[1] for _ in range(n)]


def test_rank_answers_aggregate_by_borda_count(workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.RANK, options=GROUPS)
    ana, berta, carla = participants(workshop, 3)
    services.answer_submit(participant=ana, question_id=question.pk, value=[0, 1, 2, 3, 4])
    services.answer_submit(participant=berta, question_id=question.pk, value=[1, 0])
    services.answer_submit(participant=carla, question_id=question.pk, value=[1])
    results = selectors.question_results(question=question)
    assert results["count"] == 3
    assert [(row["label"], row["points"]) for row in results["items"][:2]] == [
        ("Microtráfico", 14),
        ("Luminarias", 9),
    ]


def test_answering_again_replaces_the_answer(workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.CHOICE, options="Sí\nNo")
    (ana,) = participants(workshop, 1)
    services.answer_submit(participant=ana, question_id=question.pk, value=0)
    services.answer_submit(participant=ana, question_id=question.pk, value=1)
    results = selectors.question_results(question=question)
    assert results["items"] == [{"label": "Sí", "count": 0}, {"label": "No", "count": 1}]


def test_list_items_are_counted_across_people_ignoring_capitals(workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.LIST)
    ana, berta = participants(workshop, 2)
    services.answer_submit(participant=ana, question_id=question.pk, value="Carabineros\nBomberos")
    services.answer_submit(
        participant=berta, question_id=question.pk, value=["carabineros ", "Municipalidad"]
    )
    items = selectors.question_results(question=question)["items"]
    assert items[0] == {"label": "Carabineros", "count": 2}
    assert {item["label"] for item in items} == {"Carabineros", "Bomberos", "Municipalidad"}


@pytest.mark.parametrize(
    ("kind", "options", "value", "message"),
    [
        (QuestionKind.TEXT, None, "", "Escriba"),
        (QuestionKind.TEXT, None, "<b>hola</b>", "sin etiquetas HTML"),
        (QuestionKind.TEXT, None, "x" * 501, "demasiado largo"),
        (QuestionKind.TEXT, None, {"a": 1}, "formato esperado"),
        (QuestionKind.CHOICE, "Sí\nNo", 5, "Elija una"),
        (QuestionKind.CHOICE, "Sí\nNo", True, "Elija una"),
        (QuestionKind.RANK, "\n".join(GROUPS), [0, 0], "un solo lugar"),
        (QuestionKind.RANK, "\n".join(GROUPS), [0, 1, 2, 3, 4, 5], "como máximo 5"),
        (QuestionKind.RANK, "\n".join(GROUPS), [9], "solo alternativas"),
        (QuestionKind.RANK, "\n".join(GROUPS), "0", "al menos una"),
        (QuestionKind.LIST, None, ["idea"] * 11, "como máximo 10"),
        (QuestionKind.PROPOSE_ACTOR, None, {"name": ""}, "Escriba"),
    ],
)
def test_bad_answers_are_refused_in_spanish_and_nothing_is_saved(
    workshop, trainer, kind, options, value, message
):
    question = open_question(workshop, trainer, kind, options=options)
    (ana,) = participants(workshop, 1)
    with pytest.raises(services.WorkshopError, match=message):
        services.answer_submit(participant=ana, question_id=question.pk, value=value)
    assert not Answer.objects.exists()


def test_closed_questions_and_questions_of_other_workshops_take_no_answers(workshop, trainer):
    from tests.workshops.helpers import make_workshop

    question = open_question(workshop, trainer, QuestionKind.TEXT)
    services.question_set_status(workshop=workshop, question_id=question.pk, status="closed", user=trainer)
    (ana,) = participants(workshop, 1)
    with pytest.raises(services.WorkshopError, match="ya no recibe"):
        services.answer_submit(participant=ana, question_id=question.pk, value="hola")
    other = make_workshop(trainer=trainer)
    (outsider,) = participants(other, 1)
    with pytest.raises(services.WorkshopError, match="no es de este taller"):
        services.answer_submit(participant=outsider, question_id=question.pk, value="hola")


def test_question_form_refusals(workshop, trainer):
    with pytest.raises(services.WorkshopError, match="al menos dos alternativas"):
        services.question_create(
            workshop=workshop, kind=QuestionKind.CHOICE, prompt="¿?", options="Sí", user=trainer
        )
    with pytest.raises(services.WorkshopError, match="tipo de pregunta"):
        services.question_create(workshop=workshop, kind="nada", prompt="¿?", user=trainer)
    with pytest.raises(services.WorkshopError, match="No hay un taller"):
        services.participant_join(code="NOPE")


def test_proposals_become_suggestions_for_editors(workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.PROPOSE_CATEGORY)
    (ana,) = participants(workshop, 1)
    services.answer_submit(
        participant=ana, question_id=question.pk, value={"name": "Ruidos molestos", "description": "De noche"}
    )
    services.answer_submit(
        participant=ana, question_id=question.pk, value={"name": "Ruidos molestos de noche"}
    )
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.name, suggestion.workshop_id) == (
        SuggestionKind.CATEGORY,
        "Ruidos molestos de noche",
        workshop.pk,
    )


def test_a_phone_joins_by_code_and_answers_with_the_form(client, workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.RANK, options=GROUPS)
    response = client.post(reverse("workshops:join"), {"code": workshop.live_code})
    assert response.status_code == 302
    assert str(workshop.pk) in client.session[SESSION_KEY]
    page = client.get(response["Location"])
    assert "Lugar 1" in page.content.decode()
    client.post(
        reverse("workshops:answer", args=[workshop.pk, question.pk]),
        {"kind": "rank", "rank": ["2", "0", "", "", ""]},
    )
    assert Answer.objects.get().value == [2, 0]
    wrong = client.post(reverse("workshops:join"), {"code": "XXXX"})
    assert wrong.status_code == 400 and "No hay un taller con ese código" in wrong.content.decode()


def test_answering_without_joining_is_refused(client, workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.TEXT)
    response = client.post(reverse("workshops:answer", args=[workshop.pk, question.pk]), {"value": "hola"})
    assert response.status_code == 404
    assert client.get(reverse("workshops:participate", args=[workshop.pk])).status_code == 302


def test_answers_csv_has_one_row_per_answer(client, workshop, trainer):
    question = open_question(workshop, trainer, QuestionKind.RANK, options=GROUPS)
    (ana,) = participants(workshop, 1)
    services.answer_submit(participant=ana, question_id=question.pk, value=[1, 0])
    client.force_login(trainer)
    response = client.get(reverse("workshops:answers_csv", args=[workshop.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "¿Qué pasa en su barrio?"
    assert rows[1][3] == "Microtráfico > Luminarias"


def test_trainer_creates_opens_and_projects_a_question(client, workshop, trainer):
    client.force_login(trainer)
    url = reverse("workshops:live", args=[workshop.pk])
    client.post(url, {"kind": "rank", "prompt": "Ordene los problemas", "options": "\n".join(GROUPS)})
    question = workshop.questions.get()
    client.post(reverse("workshops:question_status", args=[workshop.pk, question.pk]), {"status": "open"})
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    screen = client.get(reverse("workshops:screen", args=[workshop.pk, question.pk]))
    body = screen.content.decode()
    assert "conteo de Borda" in body and workshop.live_code in body and 'id="results-data"' in body
    refused = client.post(url, {"kind": "choice", "prompt": "¿Sí?", "options": "Sí"})
    assert "al menos dos alternativas" in refused.content.decode()
