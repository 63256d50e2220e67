"""Editors accept a workshop's proposal (a draft category or an inactive actor appears) or reject it."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms_content.models import Actor, ActorGroup, IncidentCategory
from workshops.models import Suggestion, SuggestionKind, SuggestionStatus
from workshops.services.errors import WorkshopError


def _unique_slug(model, name: str) -> str:
    base = (slugify(name) or "propuesta")[:70]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _pending(suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    if suggestion is None:
        raise WorkshopError(_("Esa sugerencia no existe."), code="not_found")
    if suggestion.status != SuggestionStatus.PENDING:
        raise WorkshopError(_("Esa sugerencia ya fue revisada."), code="reviewed")
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion_id: int, user, section: IncidentCategory | None = None) -> Suggestion:
    """Accept: a category becomes an unpublished draft (under `section` if given); an actor is created
    inactive. Editors complete and publish them in the usual screens; nothing reaches citizens before."""
    if not user.has_perm("workshops.change_suggestion"):
        raise WorkshopError(_("No tiene permiso para revisar sugerencias."), code="forbidden")
    suggestion = _pending(suggestion_id)
    if suggestion.kind == SuggestionKind.CATEGORY:
        if section is not None and section.parent_id is not None:
            raise WorkshopError(_("Elija una sección, no una sub-sección."))
        category = IncidentCategory(
            name=suggestion.name,
            slug=_unique_slug(IncidentCategory, suggestion.name),
            description=suggestion.description,
            parent=section,
            live=False,
            active=False,
        )
        category.save()
        category.save_revision(user=user, log_action=True)
        suggestion.created_category = category
    else:
        actor = Actor.objects.create(
            name=suggestion.name,
            slug=_unique_slug(Actor, suggestion.name),
            description=suggestion.description,
            group=ActorGroup.OTHER,
            active=False,
        )
        suggestion.created_actor = actor
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.reviewed_by, suggestion.reviewed_at = user, timezone.now()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion_id: int, user, reason: str) -> Suggestion:
    """Reject with a reason (kept with the suggestion for the minute and for the trainer)."""
    if not user.has_perm("workshops.change_suggestion"):
        raise WorkshopError(_("No tiene permiso para revisar sugerencias."), code="forbidden")
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise WorkshopError(_("Escriba el motivo del rechazo."), code="empty")
    if len(reason) > 1000:
        raise WorkshopError(_("El motivo es demasiado largo."))
    suggestion = _pending(suggestion_id)
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.reason = reason
    suggestion.reviewed_by, suggestion.reviewed_at = user, timezone.now()
    suggestion.save()
    return suggestion
