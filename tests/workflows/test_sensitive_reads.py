"""Every read of a sensitive case is logged: tracking page, photos, task screens."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from viewflow.workflow.models import Task

from tests.factories.cms_content import SubSectionFactory
from workflows import services
from workflows.models import IncidentProcess, SensitiveReadLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def sensitive_incident(actor):
    category = SubSectionFactory(responsible_actor=actor, sensitive=True, public=False)
    return services.incident_report(
        category=category, description="Maltrato", address="Prat 5", contact_phone="+56911112222"
    )


@pytest.fixture
def public_incident(actor):
    return services.incident_report(
        category=SubSectionFactory(responsible_actor=actor), description="Hoyo", address="Prat 6"
    )


def test_reading_a_sensitive_case_by_secret_link_is_logged(client, sensitive_incident):
    url = (
        reverse("portal:incident_detail", args=[sensitive_incident.folio])
        + f"?s={sensitive_incident.tracking_secret}"
    )
    assert client.get(url).status_code == 200
    log = SensitiveReadLog.objects.get()
    assert (log.incident, log.user, log.via, log.what) == (
        sensitive_incident,
        None,
        "secret_link",
        "tracking",
    )


def test_staff_reads_of_the_tracking_page_and_task_are_logged_with_the_user(
    client, sensitive_incident, agency_manager
):
    client.force_login(agency_manager)
    client.get(reverse("portal:incident_detail", args=[sensitive_incident.folio]))
    process = IncidentProcess.objects.get(artifact_object_id=sensitive_incident.pk)
    task = Task.objects.get(process=process, flow_task__endswith="triage")
    client.post(reverse("standard:triage:assign", args=[process.pk, task.pk]))
    assert client.get(reverse("standard:triage:execute", args=[process.pk, task.pk])).status_code == 200
    assert list(SensitiveReadLog.objects.order_by("created_at").values_list("what", "via", "user")) == [
        ("tracking", "staff", agency_manager.pk),
        ("task", "staff", agency_manager.pk),
    ]


def test_photo_reads_of_a_sensitive_case_are_logged(client, sensitive_incident, settings, tmp_path):
    from django.utils.functional import empty

    from workflows.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    private_storage._wrapped = empty
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100)).save(buffer, "JPEG")
    photo = services.incident_photo_add(
        incident=sensitive_incident, upload=SimpleUploadedFile("a.jpg", buffer.getvalue())
    )
    url = reverse("portal:incident_photo", args=[photo.uid]) + f"?s={sensitive_incident.tracking_secret}"
    assert client.get(url).status_code == 200
    assert SensitiveReadLog.objects.filter(what="photo", via="secret_link").count() == 1
    private_storage._wrapped = empty


def test_refused_and_public_reads_are_not_logged(client, sensitive_incident, public_incident):
    assert client.get(reverse("portal:incident_detail", args=[sensitive_incident.folio])).status_code == 404
    assert client.get(reverse("portal:incident_detail", args=[public_incident.folio])).status_code == 200
    assert SensitiveReadLog.objects.count() == 0
