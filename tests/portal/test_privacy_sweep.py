"""Privacy sweep: a reporter's name, RUT, e-mail and phone appear in no public response of any kind."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from cooperanet.asgi import application
from tests.chat.helpers import ORIGIN, reset_channel_layers
from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from workflows import services
from workflows.models import Incident, IncidentStatus

NAME, SURNAME = "Griselda", "Quintanilla"
RUT, RUT_DIGITS = "12.345.678-5", "12345678"
EMAIL, PHONE, PHONE_DIGITS = "griselda.q@example.cl", "+56 9 7654 3210", "76543210"
SECRETS = [NAME, SURNAME, RUT, RUT_DIGITS, "12345678-5", EMAIL, "griselda.q", PHONE, PHONE_DIGITS, "7654"]


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


@pytest.fixture
def reported(db, client):
    """One report through the real web form, with every piece of identity filled in."""
    NeighbourhoodFactory()
    category = SubSectionFactory(name="Luminaria apagada", duplicate_radius_m=200)
    response = client.post(
        reverse("portal:report_form", args=[category.parent.slug, category.slug]),
        {
            "latitude": "-45.5712",
            "longitude": "-72.0685",
            "address": "Pasaje Los Coigües 12",
            "description": "La luminaria lleva una semana apagada.",
            "identity": "identified",
            "contact_name": f"{NAME} {SURNAME}",
            "contact_rut": RUT,
            "contact_phone": PHONE,
            "contact_email": EMAIL,
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.contact_email == EMAIL  # stored for staff…
    return incident


PUBLIC_PAGES = [
    "/",
    "/reportar/",
    "/seguimiento/",
    "/directorio/",
    "/api/taxonomy/",
    "/api/incidents/",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/open311/v2/services.json",
]


@pytest.mark.django_db
def test_no_public_page_or_api_shows_the_reporters_identity(client, reported):
    folio = reported.folio
    urls = [
        *PUBLIC_PAGES,
        reverse("portal:incident_detail", args=[folio]),
        reverse("portal:incident_detail", args=[folio]) + f"?s={reported.tracking_secret}",
        f"/api/incidents/{folio}/",
        f"/open311/v2/requests/{folio}.json",
        f"/open311/v2/requests/{folio}.xml",
        reverse("portal:report_nearby") + f"?category={reported.category.slug}&lat=-45.5712&lon=-72.0685",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaks(response.content.decode()) == [], url
    assert folio in client.get("/api/incidents/").content.decode()  # the sweep did look at the incident


@pytest.mark.django_db
def test_status_change_keeps_the_identity_out_of_public_pages_and_events(client, reported, agency_manager):
    services.incident_change_status(
        incident_id=reported.pk, status=IncidentStatus.IN_PROGRESS, by=agency_manager
    )
    page = client.get(reverse("portal:incident_detail", args=[reported.folio])).content.decode()
    assert "En proceso" in page
    assert leaks(page) == []


@pytest.mark.django_db(transaction=True)
async def test_websocket_status_event_to_other_viewers_carries_no_identity(settings):
    reset_channel_layers()
    incident = await sync_to_async(services.incident_report)(
        category=await sync_to_async(SubSectionFactory)(),
        description="Basura",
        address="Prat 1",
        contact_name=f"{NAME} {SURNAME}",
        contact_rut=RUT,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )
    communicator = WebsocketCommunicator(application, f"/ws/incidents/{incident.folio}/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(services.incident_change_status)(
        incident_id=incident.pk, status=IncidentStatus.RESOLVED, by=None
    )
    frame = await communicator.receive_json_from(timeout=3)
    assert frame["status"] == "resolved"
    assert leaks(json.dumps(frame, ensure_ascii=False)) == []
    await communicator.disconnect()
