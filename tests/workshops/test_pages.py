"""Workshop pages: the index lists, the detail page with its sign-up form, confirmation, iCal, demo set-up."""

import io
from datetime import date, time

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from tests.factories.cms_content import NeighbourhoodFactory
from tests.workshops.helpers import make_workshop, sign_up, workshop_index
from workshops import demo, selectors, services
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

pytestmark = pytest.mark.django_db


def test_index_lists_upcoming_and_past_workshops(client, trainer):
    make_workshop(title="Taller futuro", trainer=trainer, days_ahead=3)
    make_workshop(title="Taller pasado", trainer=trainer, days_ahead=-3)
    response = client.get(workshop_index().url)
    assert response.status_code == 200
    upcoming = [w.title for w in response.context["upcoming_workshops"]]
    past = [w.title for w in response.context["past_workshops"]]
    assert upcoming == ["Taller futuro"] and past == ["Taller pasado"]


def test_sign_up_from_the_page_shows_the_code_qr_and_cancel_link(client, workshop):
    page = client.get(workshop.url)
    assert page.status_code == 200 and "Inscribirme" in page.content.decode()
    response = client.post(
        reverse("workshops:register", args=[workshop.pk]),
        {"name": "Rosa Millán", "phone": "+56 9 8765 4321", "organisation": "Junta de Vecinos Centro"},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/inscripcion/{registration.secret}/"
    )
    detail = client.get(response["Location"]).content.decode()
    assert registration.code in detail and "<svg" in detail and "anular mi inscripción" in detail
    client.post(reverse("workshops:cancel", args=[registration.secret]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_refused_sign_up_answers_400_with_the_reason_and_saves_nothing(client, workshop):
    response = client.post(reverse("workshops:register", args=[workshop.pk]), {"name": "Rosa"})
    assert response.status_code == 400
    assert "Deje un teléfono o un correo" in response.content.decode()
    sign_up(workshop, "Ana", phone="912345678")
    again = client.post(
        reverse("workshops:register", args=[workshop.pk]), {"name": "Ana", "phone": "912345678"}
    )
    assert again.status_code == 400 and "Ya hay una inscripción" in again.content.decode()
    assert Registration.objects.count() == 1


def test_ical_of_one_workshop_and_of_the_list(client, trainer):
    workshop = make_workshop(
        title="Capacitación juntas de vecinos",
        trainer=trainer,
        date=date(2031, 3, 4),
        start_time=time(18, 30),
        end_time=time(20, 0),
        location="SRID=4326;POINT(-72.0685 -45.5712)",
        sign_language=True,
    )
    make_workshop(title="Otro taller", trainer=trainer)
    single = client.get(reverse("workshops:workshop_calendar", args=[workshop.pk]))
    assert single["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(single.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Capacitación juntas de vecinos"
    start = event.decoded("dtstart")
    assert (start.isoformat(), str(start.tzinfo)) == ("2031-03-04T18:30:00-03:00", "America/Coyhaique")
    assert event.decoded("geo") is not None and "lengua de señas" in str(event["description"])
    listing = Calendar.from_ical(client.get(reverse("workshops:calendar")).content)
    assert {str(e["summary"]) for e in listing.walk("VEVENT")} == {
        "Capacitación juntas de vecinos",
        "Otro taller",
    }


def test_demo_setup_creates_the_index_and_one_workshop_once(trainer):
    workshop_index().delete()
    from tests.workshops.helpers import home_page

    home_page()
    assert demo.workshops_demo_setup() == 1
    assert demo.workshops_demo_setup() == 0
    assert WorkshopIndexPage.objects.count() == 1 and WorkshopPage.objects.count() == 1


def test_load_demo_data_makes_the_talleres_index(reference_data):
    call_command("load_demo_data", incidents=0, stdout=io.StringIO())
    index = WorkshopIndexPage.objects.get()
    assert index.title == "Talleres" and index.live
    assert WorkshopPage.objects.child_of(index).get().trainer.username == "capacitador"


def test_participation_by_month_counts_held_workshops_attendance_organisations_neighbourhoods(trainer):
    centro, pinos = NeighbourhoodFactory(name="Centro"), NeighbourhoodFactory(name="Los Pinos")
    held = make_workshop(trainer=trainer, capacity=10)
    held.neighbourhoods.set([pinos])
    held.save()
    not_held = make_workshop(trainer=trainer, capacity=10)
    ana = sign_up(held, "Ana", neighbourhood=centro, organisation="JJVV Centro")
    sign_up(held, "Berta", organisation="jjvv centro")
    sign_up(not_held, "Carla")
    services.check_in_registration(workshop_id=held.pk, registration_id=ana.pk, user=trainer)
    services.walk_in_add(workshop_id=held.pk, name="Luis", organisation="Club Adulto Mayor", user=trainer)
    data = selectors.workshop_participation(date_from=date(2000, 1, 1), date_to=date(2100, 1, 1))
    (row,) = data["workshops"]
    assert row["id"] == held.pk and row["attendance"] == 2
    assert row["organisations"] == ["Club Adulto Mayor", "JJVV Centro"]
    assert row["neighbourhood_ids"] == sorted([centro.pk, pinos.pk])
    month = held.date.strftime("%Y-%m")
    assert data["by_month"] == [
        {"month": month, "workshops": 1, "attendance": 2, "organisations": 2, "neighbourhoods": 2}
    ]
    assert data["totals"] == {"workshops": 1, "attendance": 2, "organisations": 2, "neighbourhoods": 2}
    assert (
        selectors.workshop_participation(date_from=date(2000, 1, 1), date_to=date(2001, 1, 1))["totals"][
            "workshops"
        ]
        == 0
    )


def test_minute_shows_attendance_organisations_results_and_saves_outcomes(client, workshop, trainer):
    registration = sign_up(workshop, "Ana", organisation="JJVV Centro")
    services.check_in_registration(workshop_id=workshop.pk, registration_id=registration.pk, user=trainer)
    client.force_login(trainer)
    url = reverse("workshops:minute", args=[workshop.pk])
    body = client.get(url).content.decode()
    assert "JJVV Centro" in body and "Acta del taller" in body
    client.post(url, {"outcomes": "Se acordó pedir luminarias en calle Baquedano."})
    assert "luminarias en calle Baquedano" in client.get(url).content.decode()
    refused = client.post(url, {"outcomes": "<script>alert(1)</script>"})
    assert refused.status_code == 200 and "sin etiquetas HTML" in refused.content.decode()


def test_a_past_workshop_page_has_no_sign_up_form_and_trainers_see_their_link(client, trainer):
    past = make_workshop(title="Taller pasado", trainer=trainer, days_ahead=-2)
    body = client.get(past.url).content.decode()
    assert "ya se realizó" in body and "Inscribirme" not in body and "Gestionar" not in body
    client.force_login(trainer)
    assert "Gestionar este taller" in client.get(past.url).content.decode()


def test_trainers_can_open_the_admin_form_of_a_new_workshop(client, trainer):
    from django.core.management import call_command as run

    run("sync_roles", stdout=io.StringIO())
    index = workshop_index()
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_pages:add", args=["workshops", "workshoppage", index.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "js_lib_leaflet/leaflet.js" in body and "unpkg.com" not in body
