"""Hostile input in the editors' Wagtail forms (categories, actors, neighbourhoods): each is refused on the
form with a Spanish message, nothing is stored, never a 500. Editors are trusted people, but their text
reaches every citizen's phone, and a pasted text brings whatever the clipboard held."""

import json

import pytest
from django.urls import reverse

from cms_content.models import Actor, IncidentCategory, Neighbourhood
from tests.cms_content.test_admin_taxonomy import actor_form, category_form
from tests.factories.cms_content import ActorFactory, SectionFactory
from tests.hostile.helpers import ONE_MB, SCRIPT, ZERO_WIDTH_ONLY

pytestmark = pytest.mark.django_db

ADD_CATEGORY = "wagtailsnippets_cms_content_incidentcategory:add"
ADD_ACTOR = "wagtailsnippets_cms_content_actor:add"
ADD_NEIGHBOURHOOD = "wagtailsnippets_cms_content_neighbourhood:add"
HTML_REFUSED = "sin etiquetas HTML"
NUL_REFUSED = "caracteres nulos no están permitidos"  # Django's own check, before ours
TOO_LONG = "menos de"
# A text of zero-width characters only looks empty, and is refused as empty.
LOOKS_EMPTY = "no puede estar vacío"

CATEGORY_CASES = [
    ("name-script", {"name": SCRIPT}, HTML_REFUSED),
    ("name-nul", {"name": "Perros\x00"}, NUL_REFUSED),
    ("name-control", {"name": "Perros\x1b[31m"}, "caracteres no válidos"),
    ("name-zero-width", {"name": ZERO_WIDTH_ONLY}, LOOKS_EMPTY),
    ("name-en-zero-width", {"name_en": ZERO_WIDTH_ONLY + " "}, LOOKS_EMPTY),
    ("description-zero-width", {"description": "\u200b\u200e\u2060"}, LOOKS_EMPTY),
    ("name-too-long", {"name": "P" * 151}, TOO_LONG),
    ("name-en-html", {"name_en": "<b>Dogs</b>"}, HTML_REFUSED),
    ("description-script", {"description": SCRIPT}, HTML_REFUSED),
    ("description-1mb", {"description": ONE_MB}, TOO_LONG),
    ("emergency-notice-iframe", {"emergency_notice": "<iframe src=//x>"}, HTML_REFUSED),
    ("emergency-phone-nul", {"emergency_phone": "133\x00"}, NUL_REFUSED),
    ("slug-spaces", {"slug": "perros sueltos"}, "slug"),
    ("slug-sql", {"slug": "'; DROP TABLE x; --"}, "slug"),
    ("colour-not-hex", {"colour": "red; background:url(x)"}, "color"),
    ("radius-negative", {"duplicate_radius_m": -5}, "mayor o igual"),
    ("radius-huge", {"duplicate_radius_m": 10**9}, "menor o igual"),
    ("radius-text", {"duplicate_radius_m": "cien"}, "número entero"),
    ("priority-unknown", {"default_priority": "urgentísima"}, "Escoja una opción válida"),
    ("icon-unknown", {"icon": "<svg onload=x>"}, "Escoja una opción válida"),
    ("actor-missing", {"responsible_actor": 999999}, "Escoja una opción válida"),
    ("parent-missing", {"parent": 999999}, "Escoja una opción válida"),
]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("changes", "fragment"), [pytest.param(c, f, id=i) for i, c, f in CATEGORY_CASES])
def test_hostile_category_input_is_refused_on_the_form(editor_client, changes, fragment):
    section, actor = SectionFactory(), ActorFactory()
    before = IncidentCategory.objects.count()
    data = category_form(section, actor, **changes)
    data["action-publish"] = "action-publish"
    response = editor_client.post(reverse(ADD_CATEGORY), data)
    assert response.status_code == 200
    assert fragment.lower() in response.content.decode().lower()
    assert IncidentCategory.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("resolution_deadline", "0", id="deadline-zero"),
        pytest.param("resolution_deadline", "-3", id="deadline-negative"),
        pytest.param("triage_deadline", "NaN", id="deadline-nan"),
        pytest.param("triage_deadline_unit", "centuries", id="unit-unknown"),
        pytest.param("flow_kind", "custom-code", id="flow-kind-unknown"),
        pytest.param("acknowledgement_minutes", "9" * 30, id="minutes-overflow"),
    ],
)
def test_hostile_workflow_settings_are_refused(editor_client, field, value):
    data = category_form(SectionFactory(), ActorFactory())
    data[f"workflow_settings-0-{field}"] = value
    response = editor_client.post(reverse(ADD_CATEGORY), data)
    assert response.status_code == 200
    assert response.context["form"].formsets["workflow_settings"].errors[0]
    assert not IncidentCategory.objects.filter(slug="perros-sueltos").exists()


ACTOR_CASES = [
    ("name-script", {"name": SCRIPT}, HTML_REFUSED),
    ("name-zero-width", {"name": ZERO_WIDTH_ONLY}, LOOKS_EMPTY),
    ("description-zero-width", {"description": ZERO_WIDTH_ONLY}, LOOKS_EMPTY),
    ("phones-nul", {"phones": "+56 9\x00"}, NUL_REFUSED),
    ("email-invalid", {"email": "a@"}, "correo"),
    ("website-javascript", {"website": "javascript:alert(1)"}, "URL"),
    ("website-data", {"website": "data:text/html,<script>x</script>"}, "URL"),
    ("address-rtl-html", {"address": "\u202e<b>Prat</b>"}, HTML_REFUSED),
    ("location-outside-earth", {"location": "SRID=4326;POINT(-720 -450)"}, "no se puede leer"),
    ("location-garbage", {"location": "not a point"}, "no se puede leer"),
    ("location-santiago", {"location": "SRID=4326;POINT(-70.66 -33.45)"}, "fuera de la comuna"),
    ("description-1mb", {"description": ONE_MB}, TOO_LONG),
    ("group-unknown", {"group": "illuminati"}, "Escoja una opción válida"),
]


@pytest.mark.parametrize(("changes", "fragment"), [pytest.param(c, f, id=i) for i, c, f in ACTOR_CASES])
def test_hostile_actor_input_is_refused_on_the_form(editor_client, changes, fragment):
    before = Actor.objects.count()
    response = editor_client.post(reverse(ADD_ACTOR), actor_form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert fragment.lower() in response.content.decode().lower()
    assert Actor.objects.count() == before


@pytest.mark.parametrize(
    "boundary",
    [
        pytest.param("{" * 5000, id="deeply-nested-json"),
        pytest.param(json.dumps({"type": "Polygon", "coordinates": [[[0, 0]] * 100_001]}), id="huge-ring"),
        pytest.param(json.dumps({"type": "Polygon", "coordinates": "NaN"}), id="coordinates-text"),
        pytest.param('{"type": "Polygon", "coordinates": [[[NaN, 1], [2, 3], [4, 5], [NaN, 1]]]}', id="nan"),
        pytest.param(SCRIPT, id="script"),
    ],
)
def test_hostile_neighbourhood_boundaries_are_refused(editor_client, boundary):
    data = {"name": "Villa Nueva", "slug": "villa-nueva", "active": "on", "boundary": boundary}
    response = editor_client.post(reverse(ADD_NEIGHBOURHOOD), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get("boundary")
    assert not Neighbourhood.objects.filter(slug="villa-nueva").exists()


def test_text_an_editor_stored_is_shown_escaped_to_citizens(editor_client, client):
    """What passes validation (a lone "<" or "&" is fine text) is escaped on the citizen pages."""
    section, actor = SectionFactory(), ActorFactory()
    data = category_form(section, actor, name="Ruidos < 22 h & fiestas", description="Si es > 3 días, llame")
    data["action-publish"] = "action-publish"
    assert editor_client.post(reverse(ADD_CATEGORY), data).status_code == 302
    page = client.get(reverse("portal:report_section", args=[section.slug])).content.decode()
    assert "Ruidos &lt; 22 h &amp; fiestas" in page
    assert "Ruidos < 22 h" not in page
