"""The public directory of actors: groups, search, one page per actor with its catalogue, safe search box."""

import json

import pytest

from cms_content.models import ActorGroup, ActorService, ServiceMode
from tests.factories.cms_content import ActorFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/directorio/"


def test_directory_shows_every_group_with_its_actors(client, reference_data):
    html = client.get(DIRECTORY).content.decode()
    for label in [
        "Ciudadanos",
        "Autoridades",
        "Seguridad Pública",
        "Emergencias",
        "Servicios Públicos",
        "Otros",
    ]:
        assert f'-title">{label}</h2>' in html, label
    emergencies = html.split('id="grupo-emergencies-title"')[1].split("</section>")[0]
    assert "Cuerpo de Bomberos de Coyhaique" in emergencies
    assert "Carabineros" not in emergencies


def test_home_has_a_big_button_to_the_directory(client):
    html = client.get("/").content.decode()
    assert f'class="big-button" href="{DIRECTORY}">Directorio de instituciones</a>' in html


def test_search_finds_an_actor_by_the_name_of_one_of_its_procedures(client):
    transit = ActorFactory(name="Dirección de Tránsito")
    ActorService.objects.create(actor=transit, name="Licencia de conducir")
    ActorFactory(name="Oficina de Deportes")

    html = client.get(DIRECTORY, {"q": "licencia conducir"}).content.decode()

    assert "Dirección de Tránsito" in html
    assert "Oficina de Deportes" not in html
    assert "Encontramos 1 institución para «licencia conducir»." in html


def test_search_that_matches_nothing_says_so_in_plain_words(client):
    ActorFactory(name="Oficina de Deportes")
    html = client.get(DIRECTORY, {"q": "submarino"}).content.decode()
    assert "No encontramos instituciones con esas palabras." in html
    assert "Oficina de Deportes" not in html


def test_inactive_actors_are_left_out_of_the_directory(client):
    ActorFactory(name="Oficina Cerrada", active=False)
    ActorFactory(name="Oficina Abierta")
    html = client.get(DIRECTORY).content.decode()
    assert "Oficina Abierta" in html
    assert "Oficina Cerrada" not in html


def test_directory_map_pins_link_to_each_actor_page(client):
    ActorFactory(
        slug="bomberos",
        name="Bomberos",
        group=ActorGroup.EMERGENCIES,
        location="SRID=4326;POINT(-72.07 -45.57)",
    )
    ActorFactory(name="Sin ubicación", location="")
    response = client.get(DIRECTORY)
    html = response.content.decode()
    data = html.split('<script id="directory-map-points" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data) == [
        {
            "slug": "bomberos",
            "name": "Bomberos",
            "address": "",
            "lat": -45.57,
            "lon": -72.07,
            "url": "/directorio/bomberos/",
        }
    ]


def test_directory_map_loads_leaflet_from_our_own_static_files(client):
    ActorFactory(location="SRID=4326;POINT(-72.07 -45.57)")
    html = client.get(DIRECTORY).content.decode()
    assert '<script src="/static/js_lib_leaflet/leaflet.js"></script>' in html
    assert '<script src="/static/portal/js/actor_map.js"></script>' in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


def test_actor_page_shows_contacts_as_tel_links_and_the_emergency_number(client):
    ActorFactory(
        slug="bomberos", name="Bomberos", phones="67 221 1234 / +56 9 8765 4321", emergency_phone="132"
    )
    html = client.get("/directorio/bomberos/").content.decode()
    assert '<a class="emergency-call" href="tel:132">132</a>' in html
    assert '<a class="phone-link" href="tel:672211234">67 221 1234</a>' in html
    assert '<a class="phone-link" href="tel:+56987654321">+56 9 8765 4321</a>' in html


def test_actor_page_shows_its_catalogue_of_procedures(client):
    actor = ActorFactory(slug="transito", name="Dirección de Tránsito")
    ActorService.objects.create(
        actor=actor,
        name="Licencia de conducir",
        requirements="Carnet de identidad y certificado de estudios.",
        where_when="Municipalidad, lunes a viernes de 8:30 a 13:00.",
        mode=ServiceMode.BOTH,
        url="https://tramites.example.cl/licencia",
    )
    html = client.get("/directorio/transito/").content.decode()
    catalogue = html.split('id="tramites-title"')[1]
    assert "<h3>Licencia de conducir</h3>" in catalogue
    assert "Carnet de identidad y certificado de estudios." in catalogue
    assert "Municipalidad, lunes a viernes de 8:30 a 13:00." in catalogue
    assert "Presencial y en línea" in catalogue
    assert 'href="https://tramites.example.cl/licencia"' in catalogue


def test_actor_page_says_when_it_attends_around_the_clock(client):
    ActorFactory(slug="bomberos", open_24_7=True)
    html = client.get("/directorio/bomberos/").content.decode()
    assert "Atiende las 24 horas, todos los días." in html


def test_actor_page_names_the_neighbourhoods_it_covers(client):
    actor = ActorFactory(slug="junta", covers_whole_comuna=False)
    actor.coverage.set([NeighbourhoodFactory(name="Población Clotario Blest")])
    html = client.get("/directorio/junta/").content.decode()
    assert "Población Clotario Blest" in html
    assert "Toda la comuna de Coyhaique." not in html


def test_inactive_actor_page_is_the_friendly_404(client):
    ActorFactory(slug="cerrada", active=False)
    response = client.get("/directorio/cerrada/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_unknown_actor_page_is_the_friendly_404(client):
    response = client.get("/directorio/no-existe/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


@pytest.mark.parametrize(
    "query_string",
    [
        "q=" + "a" * 20000,
        "q=%00",
        "q=%ED%A0%80",  # a lone surrogate, as raw bytes
        "q=%FF%FE",  # not UTF-8 at all
        "q=%25%5F%5C",  # LIKE wildcards and a backslash
        "q=%27%3B+DROP+TABLE+cms_content_actor%3B--",
        "q=" + "+".join(["palabra"] * 500),
        "q=a&q=b",
    ],
)
def test_unusual_search_text_never_breaks_the_directory(client, query_string):
    ActorFactory(name="Bomberos")
    response = client.get(f"{DIRECTORY}?{query_string}")
    assert response.status_code == 200


def test_search_text_is_shown_escaped(client):
    html = client.get(DIRECTORY, {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "«&lt;script&gt;alert(1)&lt;/script&gt;»" in html
