"""Live activities: questions the trainer opens, participants who join with the workshop code, answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms_content.validators import PLAIN_TEXT

from .pages import WorkshopPage

RANK_SIZE = 5  # "rank your top 5"
MAX_OPTIONS = 30
MAX_LIST_ITEMS = 10
ANSWER_MAX_CHARS = 500


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Respuesta abierta")
    LIST = "list", _("Lista de ideas")
    RANK = "rank", _("Elegir y ordenar las 5 más importantes")
    CHOICE = "choice", _("Alternativas (una respuesta)")
    PROPOSE_CATEGORY = "propose_category", _("Proponer un tipo de problema")
    PROPOSE_ACTOR = "propose_actor", _("Proponer una institución u organización")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Preparada")
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada")


class Question(models.Model):
    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("tipo"), max_length=20, choices=QuestionKind.choices)
    prompt = models.CharField(_("pregunta"), max_length=300, validators=PLAIN_TEXT)
    # The options of CHOICE and RANK questions, as a list of short texts.
    options = models.JSONField(_("alternativas"), default=list, blank=True)
    status = models.CharField(max_length=8, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")

    def __str__(self):
        return self.prompt


class Participant(models.Model):
    """A phone that joined the live part with the workshop code; no account, only a cookie secret."""

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="participants")
    token = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"#{self.pk}"


class Answer(models.Model):
    """One participant's answer to one question; answering again replaces it.

    `value` is a string (text), a list of strings (list items, ranking in order) or an option index
    (choice), checked by the service against the question before saving.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "participant"], name="workshops_one_answer_per_person"
            )
        ]

    def __str__(self):
        return f"{self.question_id}/{self.participant_id}"


class WorkshopMinute(models.Model):
    """What the trainer writes in the minute (acta): outcomes and agreements; the rest is computed."""

    workshop = models.OneToOneField(WorkshopPage, on_delete=models.CASCADE, related_name="minute")
    outcomes = models.TextField(_("resultados y acuerdos"), blank=True, validators=PLAIN_TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.workshop)
