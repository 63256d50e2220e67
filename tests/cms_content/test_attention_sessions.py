"""Joint attention sessions ("Atención Nocturna"): edited in the Wagtail admin, listed, served by API v2."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms_content.models import (
    ActorService,
    AttentionSessionIndexPage,
    AttentionSessionPage,
    AttentionSessionParticipant,
)
from tests.factories.cms_content import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(reference_data):
    return AttentionSessionIndexPage.objects.get(slug="jornadas")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def registry():
    """An actor with two procedures, like the Civil Registry at a night session."""
    actor = ActorFactory(slug="registro-civil", name="Registro Civil")
    return {
        "actor": actor,
        "id_card": ActorService.objects.create(actor=actor, name="Cédula de identidad"),
        "certificate": ActorService.objects.create(actor=actor, name="Certificado de nacimiento"),
    }


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def add_url(index) -> str:
    return f"/cms/pages/add/cms_content/attentionsessionpage/{index.pk}/"


def session_form(participants: list[dict], **overrides) -> dict:
    """Admin form data; give services as a tuple (nested_form_data would split a list into sub-keys)."""
    data = {
        "title": "Atención nocturna de marzo",
        "slug": "atencion-nocturna-marzo",
        "date": in_days(10).isoformat(),
        "start_time": "19:00",
        "end_time": "22:30",
        "place_name": "Gimnasio Municipal",
        "address": "Francisco Bilbao 357",
        "location": "SRID=4326;POINT(-72.0685 -45.5712)",
        "intro": "Trámites después del trabajo.",
        "participants": inline_formset(participants),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def publish_session(index, *, title: str, date: datetime.date, participants=()) -> AttentionSessionPage:
    page = AttentionSessionPage(
        title=title,
        date=date,
        start_time=datetime.time(19, 0),
        end_time=datetime.time(22, 30),
        place_name="Gimnasio Municipal",
        location="SRID=4326;POINT(-72.0685 -45.5712)",
        participants=[
            AttentionSessionParticipant(actor=actor, services=services) for actor, services in participants
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_loader_creates_the_sessions_index_once(reference_data):
    call_command("load_reference_data", stdout=io.StringIO())
    index = AttentionSessionIndexPage.objects.get()
    assert index.live
    assert index.title == "Jornadas de atención"
    assert index.url == "/jornadas/"


def test_editor_publishes_a_session_with_actors_and_their_procedures_in_the_admin(
    editor_client, index, registry
):
    data = session_form([{"actor": registry["actor"].pk, "services": (registry["id_card"].pk,)}])

    response = editor_client.post(add_url(index), data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = AttentionSessionPage.objects.get(slug="atencion-nocturna-marzo")
    assert page.live
    assert page.get_parent().pk == index.pk
    participant = page.participants.get()
    assert participant.actor == registry["actor"]
    assert list(participant.services.all()) == [registry["id_card"]]


def test_session_published_in_the_admin_is_listed_as_upcoming(editor_client, client, index, registry):
    data = session_form([{"actor": registry["actor"].pk, "services": (registry["id_card"].pk,)}])
    editor_client.post(add_url(index), data)

    html = client.get("/jornadas/").content.decode()

    upcoming = html.split('id="proximas-title"')[1].split("</section>")[0]
    assert "Atención nocturna de marzo" in upcoming
    assert "Registro Civil" in upcoming


def test_past_sessions_are_listed_after_the_upcoming_ones(client, index):
    publish_session(index, title="Jornada de febrero", date=in_days(-20))
    publish_session(index, title="Jornada de abril", date=in_days(20))

    html = client.get("/jornadas/").content.decode()

    upcoming = html.split('id="proximas-title"')[1].split("</section>")[0]
    past = html.split('id="pasadas-title"')[1].split("</section>")[0]
    assert "Jornada de abril" in upcoming
    assert "Jornada de febrero" not in upcoming
    assert "Jornada de febrero" in past
    assert html.index('id="proximas-title"') < html.index('id="pasadas-title"')


def test_a_procedure_of_another_actor_is_refused_and_nothing_is_saved(editor_client, index, registry):
    police = ActorFactory(name="Policía de Investigaciones")
    data = session_form([{"actor": police.pk, "services": (registry["certificate"].pk,)}])

    response = editor_client.post(add_url(index), data)

    assert response.status_code == 200
    participant_form = response.context["form"].formsets["participants"].forms[0]
    assert participant_form.errors["services"] == [
        "Estos trámites no son de Policía de Investigaciones: Certificado de nacimiento. "
        "Elija solo trámites de esa institución."
    ]
    assert not AttentionSessionPage.objects.exists()


def test_an_end_time_before_the_start_time_is_refused(index):
    page = AttentionSessionPage(
        title="Jornada",
        slug="jornada",
        date=in_days(3),
        start_time=datetime.time(22, 0),
        end_time=datetime.time(19, 0),
        place_name="Gimnasio Municipal",
    )
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "end_time" in error.value.message_dict


def test_session_page_shows_each_actor_with_the_procedures_offered_there(client, index, registry):
    page = publish_session(
        index,
        title="Jornada de abril",
        date=in_days(20),
        participants=[(registry["actor"], [registry["id_card"]])],
    )

    html = client.get(page.url).content.decode()

    assert '<a href="/directorio/registro-civil/">Registro Civil</a>' in html
    assert "Cédula de identidad" in html
    assert "Certificado de nacimiento" not in html  # offered elsewhere, not at this session


def test_wagtail_api_serves_sessions_with_their_actors_and_procedures(client, index, registry):
    publish_session(
        index,
        title="Jornada de abril",
        date=in_days(20),
        participants=[(registry["actor"], [registry["id_card"]])],
    )

    response = client.get(
        "/api/v2/pages/?type=cms_content.AttentionSessionPage"
        "&fields=date,start_time,end_time,place_name,coordinates,participants"
    )

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == "Jornada de abril"
    assert item["date"] == in_days(20).isoformat()
    assert item["start_time"] == "19:00:00"
    assert item["place_name"] == "Gimnasio Municipal"
    assert item["coordinates"] == {"lat": -45.5712, "lon": -72.0685}
    [participant] = item["participants"]
    assert participant["actor_slug"] == "registro-civil"
    assert participant["offered_services"] == [
        {"name": "Cédula de identidad", "mode": "in_person", "url": ""}
    ]
