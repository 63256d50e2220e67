"""Helpers shared by the front desk modules (test_intake_*.py); their fixtures live in conftest.py."""

import io
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from workflows import services
from workflows.models import ReportChannel

PLAZA = {"latitude": "-45.5712", "longitude": "-72.0685"}
INTAKE_URL_NAMES = [
    ("portal:intake_new", []),
    ("portal:intake_search", []),
    ("portal:intake_citizen_search", []),
    ("portal:intake_receipt", ["CN-2026-000001"]),
]


def jpeg(name="documento.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def intake_data(sub_section, **overrides):
    data = {
        "channel": ReportChannel.PHONE,
        "contact_name": "Rosa Millán",
        "contact_rut": "12.345.678-5",
        "contact_phone": "+56 9 8765 4321",
        "contact_email": "rosa@example.cl",
        "category": sub_section.slug,
        "address": "Baquedano 120",
        "latitude": "",
        "longitude": "",
        "description": "Llama para avisar que la luminaria de su pasaje está apagada hace una semana.",
        "submission_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def report(category, officer, **overrides):
    """An incident entered by `officer` through the service, as the intake screen does."""
    values = {
        "category": category,
        "description": "Luminaria apagada",
        "by": officer,
        "channel": ReportChannel.FRONT_DESK,
        "contact_name": "Juan Soto",
        "contact_rut": "11111111-1",
        "contact_phone": "+56 9 3333 4444",
        "address": "Calle Prat 455",
    }
    values.update(overrides)
    return services.incident_report(**values)


def other_officer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("otra-oficina", password="x")
    user.groups.add(Group.objects.get(name="front_desk"))
    return user


def receipt(client, incident):
    return client.get(reverse("portal:intake_receipt", args=[incident.folio]))


def search(client, query):
    return client.get(reverse("portal:intake_search"), {"q": query})


def found_folios(response) -> list[str]:
    return re.findall(r'<th scope="row" class="intake-folio">([^<]+)</th>', response.content.decode())


def citizen_search(client, query):
    return client.get(reverse("portal:intake_citizen_search"), {"q": query})
