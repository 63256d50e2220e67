"""Editors manage categories and actors in the Wagtail admin: create, edit, publish; bad input refused."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms_content.models import Actor, IncidentCategory
from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory, SectionFactory

pytestmark = pytest.mark.django_db


def category_form(section, actor, **overrides):
    data = {
        "parent": section.pk,
        "name": "Perros sueltos",
        "name_en": "Stray dogs",
        "slug": "perros-sueltos",
        "icon": "animal",
        "colour": "#1a7f37",
        "sort_order": 3,
        "description": "Perros sin dueño que asustan o muerden.",
        "default_priority": "normal",
        "duplicate_radius_m": 200,
        "public": "on",
        "active": "on",
        "responsible_actor": actor.pk,
        "workflow_settings": inline_formset(
            [
                {
                    "flow_kind": "standard",
                    "citizen_confirmation_on": "on",
                    "triage_deadline": 2,
                    "triage_deadline_unit": "business_days",
                    "resolution_deadline": 10,
                    "resolution_deadline_unit": "business_days",
                    "acknowledgement_minutes": 15,
                    "auto_close_days": 7,
                }
            ]
        ),
        "routings": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


ADD_CATEGORY = "wagtailsnippets_cms_content_incidentcategory:add"


def test_editor_publishes_a_new_sub_section_and_it_becomes_reportable(editor_client):
    section, actor = SectionFactory(), ActorFactory()
    data = category_form(section, actor)
    data["action-publish"] = "action-publish"
    response = editor_client.post(reverse(ADD_CATEGORY), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    category = IncidentCategory.objects.get(slug="perros-sueltos")
    assert category.live
    assert category.workflow_settings.get().resolution_deadline == 10
    assert IncidentCategory.objects.reportable().filter(pk=category.pk).exists()


def test_saving_a_draft_keeps_the_new_category_out_of_the_form(editor_client):
    response = editor_client.post(reverse(ADD_CATEGORY), category_form(SectionFactory(), ActorFactory()))
    assert response.status_code == 302
    category = IncidentCategory.objects.get(slug="perros-sueltos")
    assert not category.live
    assert not IncidentCategory.objects.reportable().filter(pk=category.pk).exists()


def test_editing_a_published_category_records_a_revision(editor_client):
    section, actor = SectionFactory(), ActorFactory()
    data = category_form(section, actor)
    data["action-publish"] = "action-publish"
    editor_client.post(reverse(ADD_CATEGORY), data)
    category = IncidentCategory.objects.get(slug="perros-sueltos")
    data = category_form(section, actor, name="Perros sueltos o agresivos")
    data["action-publish"] = "action-publish"
    data["workflow_settings-0-id"] = category.workflow_settings.get().pk
    response = editor_client.post(
        reverse("wagtailsnippets_cms_content_incidentcategory:edit", args=[category.pk]), data
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Perros sueltos o agresivos"
    assert category.revisions.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "<script>alert(1)</script>"}, "sin etiquetas HTML"),
        ({"colour": "rojo"}, "#1a7f37"),
        ({"slug": "seccion existente"}, "slug"),
        ({"sensitive": "on"}, "sensible no puede ser pública"),
        ({"blocks_form": "on"}, "número a llamar"),
        ({"duplicate_radius_m": -5}, ""),
        ({"description": "texto\x00con nul"}, "caracteres nulos"),
    ],
)
def test_bad_category_input_is_refused_and_nothing_is_saved(editor_client, overrides, message):
    section, actor = SectionFactory(), ActorFactory()
    before = IncidentCategory.objects.count()
    response = editor_client.post(reverse(ADD_CATEGORY), category_form(section, actor, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert IncidentCategory.objects.count() == before


def test_a_sub_section_cannot_have_sub_sections(editor_client):
    section, actor = SectionFactory(), ActorFactory()
    sub_section = IncidentCategory.objects.create(parent=section, slug="hijo", name="Hijo")
    response = editor_client.post(reverse(ADD_CATEGORY), category_form(sub_section, actor))
    assert response.status_code == 200
    # Only sections are offered as parents; a forged sub-section id is refused as an invalid choice.
    assert "parent" in response.context["form"].errors
    assert not IncidentCategory.objects.filter(slug="perros-sueltos").exists()


def test_negative_or_zero_deadlines_are_refused(editor_client):
    data = category_form(SectionFactory(), ActorFactory())
    data["workflow_settings-0-resolution_deadline"] = 0
    response = editor_client.post(reverse(ADD_CATEGORY), data)
    assert response.status_code == 200
    assert not IncidentCategory.objects.filter(slug="perros-sueltos").exists()


def actor_form(**overrides):
    data = {
        "name": "Junta de Vecinos Villa Austral",
        "slug": "jjvv-villa-austral",
        "group": "citizens",
        "description": "Organización vecinal.",
        "phones": "+56 9 1234 5678",
        "covers_whole_comuna": "on",
        "active": "on",
        "location": "SRID=4326;POINT(-72.06 -45.57)",
        "services": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_creates_an_actor_with_a_service(editor_client):
    data = actor_form(
        services=inline_formset(
            [{"name": "Certificado de residencia", "mode": "in_person", "requirements": "Carnet"}]
        )
    )
    response = editor_client.post(reverse("wagtailsnippets_cms_content_actor:add"), data)
    assert response.status_code == 302
    actor = Actor.objects.get(slug="jjvv-villa-austral")
    assert actor.services.get().name == "Certificado de residencia"
    assert actor.revisions.count() == 1


def test_an_actor_without_coverage_is_refused(editor_client):
    data = actor_form()
    del data["covers_whole_comuna"]
    response = editor_client.post(reverse("wagtailsnippets_cms_content_actor:add"), data)
    assert response.status_code == 200
    assert "Elija al menos un barrio" in response.content.decode()
    assert not Actor.objects.filter(slug="jjvv-villa-austral").exists()


def test_an_actor_may_cover_named_neighbourhoods(editor_client):
    barrio = NeighbourhoodFactory()
    data = actor_form()
    data["coverage"] = [barrio.pk]  # a multiple-choice field: not nested form data
    del data["covers_whole_comuna"]
    response = editor_client.post(reverse("wagtailsnippets_cms_content_actor:add"), data)
    assert response.status_code == 302
    assert list(Actor.objects.get(slug="jjvv-villa-austral").coverage.all()) == [barrio]


def test_actor_edit_page_loads_leaflet_from_our_static_files(editor_client):
    actor = ActorFactory()
    html = editor_client.get(
        reverse("wagtailsnippets_cms_content_actor:edit", args=[actor.pk])
    ).content.decode()
    assert "js_lib_leaflet/leaflet.js" in html
    assert "unpkg.com" not in html


def test_citizen_cannot_open_the_category_admin(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse(ADD_CATEGORY))
    assert response.status_code in (302, 403)
