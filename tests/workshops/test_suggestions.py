"""Editors review workshop proposals in /cms/: accept creates a draft category or an inactive actor."""

import pytest
from django.urls import reverse

from cms_content.models import Actor, IncidentCategory
from tests.factories.cms_content import SectionFactory, SubSectionFactory
from workshops import services
from workshops.models import Suggestion, SuggestionKind, SuggestionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def category_suggestion(workshop):
    return Suggestion.objects.create(workshop=workshop, kind=SuggestionKind.CATEGORY, name="Ruidos molestos")


@pytest.fixture
def actor_suggestion(workshop):
    return Suggestion.objects.create(workshop=workshop, kind=SuggestionKind.ACTOR, name="Club de Leones")


def test_accepting_a_category_creates_an_unpublished_draft_under_the_section(category_suggestion, editor):
    section = SectionFactory(name="Convivencia")
    services.suggestion_accept(suggestion_id=category_suggestion.pk, user=editor, section=section)
    category_suggestion.refresh_from_db()
    category = category_suggestion.created_category
    assert (
        category_suggestion.status == SuggestionStatus.ACCEPTED and category_suggestion.reviewed_by == editor
    )
    assert (category.name, category.parent, category.live, category.active) == (
        "Ruidos molestos",
        section,
        False,
        False,
    )
    assert category.slug == "ruidos-molestos"
    assert not IncidentCategory.objects.reportable().filter(pk=category.pk).exists()


def test_accepting_an_actor_creates_it_inactive(actor_suggestion, editor):
    services.suggestion_accept(suggestion_id=actor_suggestion.pk, user=editor)
    actor = Actor.objects.get(name="Club de Leones")
    assert not actor.active
    with pytest.raises(services.WorkshopError, match="ya fue revisada"):
        services.suggestion_accept(suggestion_id=actor_suggestion.pk, user=editor)


def test_rejecting_needs_a_reason_and_keeps_it(category_suggestion, editor):
    with pytest.raises(services.WorkshopError, match="motivo"):
        services.suggestion_reject(suggestion_id=category_suggestion.pk, user=editor, reason="  ")
    services.suggestion_reject(
        suggestion_id=category_suggestion.pk, user=editor, reason="Ya existe «Ruidos»."
    )
    category_suggestion.refresh_from_db()
    assert category_suggestion.status == SuggestionStatus.REJECTED
    assert category_suggestion.reason == "Ya existe «Ruidos»."
    assert not IncidentCategory.objects.filter(name="Ruidos molestos").exists()


def test_a_sub_section_is_not_a_valid_parent_and_trainers_may_not_decide(
    category_suggestion, editor, trainer
):
    with pytest.raises(services.WorkshopError, match="sección, no una sub-sección"):
        services.suggestion_accept(
            suggestion_id=category_suggestion.pk, user=editor, section=SubSectionFactory()
        )
    with pytest.raises(services.WorkshopError, match="No tiene permiso"):
        services.suggestion_accept(suggestion_id=category_suggestion.pk, user=trainer)
    assert Suggestion.objects.get().status == SuggestionStatus.PENDING


def test_editors_review_in_the_admin(client, category_suggestion, actor_suggestion, editor, trainer):
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_workshops_suggestion:list"))
    assert listing.status_code == 200 and "Ruidos molestos" in listing.content.decode()
    url = reverse("workshops_suggestion_review", args=[category_suggestion.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"decision": "accept", "section": ""})
    assert Suggestion.objects.get(pk=category_suggestion.pk).status == SuggestionStatus.ACCEPTED
    other = reverse("workshops_suggestion_review", args=[actor_suggestion.pk])
    refused = client.post(other, {"decision": "reject", "reason": ""})
    assert refused.status_code == 200 and "motivo del rechazo" in refused.content.decode()
    client.post(other, {"decision": "reject", "reason": "Es privado"})
    assert Suggestion.objects.get(pk=actor_suggestion.pk).status == SuggestionStatus.REJECTED
    client.force_login(trainer)
    assert client.get(url).status_code in (302, 403)
