"""The taxonomy API is built once per language and version (cms_content.api.taxonomy_cache): a repeated
request reads no category, and any change of a category or an actor is seen by the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms_content.api import taxonomy_cache
from cms_content.models import Actor, IncidentCategory
from tests.factories.cms_content import SubSectionFactory

pytestmark = pytest.mark.django_db


def taxonomy(client, language="es"):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/taxonomy/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    read_categories = any("cms_content_incidentcategory" in query["sql"] for query in captured)
    return response.json(), read_categories


def names(sections) -> set[str]:
    return {child["name"] for section in sections for child in section["children"]}


def test_a_repeated_request_reads_no_category_and_answers_the_same(client, reference_data):
    first, read_first = taxonomy(client)
    again, read_again = taxonomy(client)
    assert read_first and not read_again
    assert again == first


def test_each_language_has_its_own_entry(client, reference_data):
    taxonomy(client, "es")
    english, read = taxonomy(client, "en")
    assert read
    assert next(s for s in english if s["slug"] == "emergencias")["name"] == "Emergencies"


def test_a_renamed_category_is_seen_by_the_next_request(client, reference_data):
    taxonomy(client)
    category = IncidentCategory.objects.filter(parent__isnull=False, active=True, live=True).first()
    category.name = "Perros sueltos en la plaza"
    category.save()

    sections, read = taxonomy(client)

    assert read and "Perros sueltos en la plaza" in names(sections)


def test_a_changed_actor_slug_is_seen_by_the_next_request(client, reference_data):
    taxonomy(client)
    actor = Actor.objects.get(slug="bomberos-coyhaique")
    actor.slug = "bomberos-de-coyhaique"
    actor.save()

    sections, _ = taxonomy(client)

    actors = {child["responsible_actor"] for section in sections for child in section["children"]}
    assert "bomberos-de-coyhaique" in actors and "bomberos-coyhaique" not in actors


def test_a_deleted_category_goes_away(client, reference_data):
    taxonomy(client)
    category = IncidentCategory.objects.filter(parent__isnull=False, active=True, live=True).last()
    slug = category.slug
    category.delete()

    sections, _ = taxonomy(client)

    assert slug not in {child["slug"] for section in sections for child in section["children"]}


def test_the_version_changes_again_when_the_change_commits(django_capture_on_commit_callbacks):
    before = taxonomy_cache._version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        SubSectionFactory()  # saves a section, its actor and the sub-section
        during = cache.get(taxonomy_cache.VERSION_KEY)
    after = cache.get(taxonomy_cache.VERSION_KEY)
    assert callbacks and len({before, during, after}) == 3


def test_an_evicted_version_is_never_an_old_one(client, reference_data):
    taxonomy(client)
    old = taxonomy_cache._version()
    cache.delete(taxonomy_cache.VERSION_KEY)
    assert taxonomy_cache._version() != old
