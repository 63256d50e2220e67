"""The reference data of Coyhaique loads completely and idempotently."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from cms_content.models import Actor, ActorGroup, HelpPage, IncidentCategory, Neighbourhood
from cms_content.selectors import emergency_number_list

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "categories": list(IncidentCategory.objects.order_by("slug").values()),
        "actors": list(Actor.objects.order_by("slug").values()),
        "neighbourhoods": list(Neighbourhood.objects.order_by("slug").values()),
        "help": list(HelpPage.objects.order_by("slug").values_list("slug", "title", "latest_revision_id")),
        "supporting": sorted(
            IncidentCategory.supporting_actors.through.objects.values_list("incidentcategory_id", "actor_id")
        ),
    }


def test_loading_twice_leaves_the_database_as_loading_once():
    first_output = load()
    first = snapshot()
    second_output = load()
    assert "0 creados, 0 actualizados" not in first_output
    assert "0 creados, 0 actualizados" in second_output
    assert snapshot() == first


def test_taxonomy_has_at_least_eight_sections_of_three_to_six_sub_sections():
    load()
    sections = IncidentCategory.objects.sections()
    assert sections.count() >= 8
    for section in sections:
        assert 3 <= section.children.count() <= 6, section.slug
    for expected in [
        "emergencias",
        "violencia-delitos",
        "drogas",
        "basura-escombros",
        "violencia-ninos-mayores",
    ]:
        assert sections.filter(slug=expected).exists(), expected


def test_sensitive_categories_are_never_public():
    load()
    sensitive = IncidentCategory.objects.filter(sensitive=True)
    assert sensitive.exists()
    assert not sensitive.filter(public=True).exists()


def test_every_sub_section_has_a_responsible_actor_and_workflow_settings():
    load()
    for category in IncidentCategory.objects.filter(parent__isnull=False):
        assert category.responsible_actor_id, category.slug
        assert category.workflow_settings.count() == 1, category.slug


def test_actors_cover_the_seed_groups_and_the_emergency_numbers():
    load()
    assert Actor.objects.count() >= 15
    assert {
        ActorGroup.EMERGENCIES,
        ActorGroup.PUBLIC_SECURITY,
        ActorGroup.AUTHORITIES,
        ActorGroup.PUBLIC_SERVICES,
    } <= set(Actor.objects.values_list("group", flat=True))
    numbers = {item["number"] for item in emergency_number_list()}
    assert {"131", "132", "133", "134"} <= numbers


def test_neighbourhoods_are_valid_polygons_of_the_comuna():
    load()
    assert Neighbourhood.objects.count() >= 12
    for neighbourhood in Neighbourhood.objects.all():
        neighbourhood.full_clean()  # validates the polygon and the comuna bounds


def test_help_pages_are_published_under_the_site_root():
    load()
    site = Site.objects.get(is_default_site=True)
    pages = HelpPage.objects.live().descendant_of(site.root_page)
    assert pages.count() >= 4
    assert pages.first().url.startswith("/ayuda/")
