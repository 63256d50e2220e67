"""The contract paths answer, in Spanish first and in English on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_in_spanish_with_the_sections_and_emergency_numbers(client, reference_data):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "¿Qué quiere reportar?" in html
    assert "Violencia y delitos" in html
    assert 'href="tel:133"' in html


def test_language_switch_turns_the_site_to_english(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "What do you want to report?" in html
    assert "Violence and crime" in html  # the section's English name from the taxonomy


def test_next_of_the_language_switch_cannot_leave_the_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/cms/", "/tareas/"])
def test_staff_areas_ask_anonymous_visitors_to_log_in(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert any(word in response.redirect_chain[-1][0] for word in ("/login/", "/ingresar/"))


def test_wagtail_api_lists_the_help_pages(client, reference_data):
    response = client.get("/api/v2/pages/?type=cms_content.HelpPage&fields=intro")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) >= 4
    assert all(item["intro"] for item in items)


def test_openapi_schema_documents_only_the_project_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/taxonomy/" in paths
    assert not any(path.startswith("/api/v2/") for path in paths)


def test_api_docs_load_swagger_ui_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_unknown_page_is_a_friendly_404_in_spanish(client):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_help_page_shows_faq_and_emergency_numbers(client, reference_data):
    response = client.get("/ayuda/")
    assert response.status_code == 200
    from cms_content.models import HelpPage

    page = HelpPage.objects.live().first()
    html = client.get(page.url).content.decode()
    assert page.title in html
    assert 'href="tel:131"' in html
