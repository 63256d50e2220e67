"""The case record (acta) as PDF: staff of the actor and auditors; never citizens; sensitive reads logged."""

import base64
import io
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories.cms_content import ActorFactory, SubSectionFactory
from tests.workflows.task_list_helpers import report
from workflows import services
from workflows.acta import acta_for_user, acta_pdf
from workflows.models import SensitiveReadLog

pytestmark = pytest.mark.django_db


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 10)).save(buffer, "JPEG")
    return SimpleUploadedFile("evidencia.jpg", buffer.getvalue(), content_type="image/jpeg")


def pdf_text(content: bytes) -> str:
    """The text drawn on the pages (ASCII runs are enough here): reportlab's ASCII85 + Flate streams."""
    texts = []
    for chunk in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        chunk = chunk.strip().removesuffix(b"~>")
        try:
            texts.append(zlib.decompress(base64.a85decode(chunk)).decode("latin-1"))
        except (zlib.error, ValueError):
            continue
    return "".join(re.findall(r"\((.*?)\) Tj", "\n".join(texts)))


@pytest.fixture
def resolved(actor, agency_manager, agency_staff):
    incident = report(actor)
    services.incident_accept(
        incident_id=incident.pk, by=agency_manager, priority="high", note="Nota interna X"
    )
    evidence = [services.photo_rebuild(upload=jpeg())]
    services.incident_resolve(
        incident_id=incident.pk, by=agency_staff, code="cleaned", public_note="Se retiró.", evidence=evidence
    )
    return incident


def url(incident):
    return reverse("workflows_staff:acta_pdf", args=[incident.folio])


def test_staff_download_the_full_record(client, resolved, agency_manager):
    client.force_login(agency_manager)
    response = client.get(url(resolved))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"acta-{resolved.folio}.pdf" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")


def test_record_has_events_who_resolution_notes_and_evidence(resolved, agency_manager, agency_staff):
    acta = acta_for_user(folio=resolved.folio, user=agency_manager)
    assert acta is not None
    assert len(acta.photos) == 1 and acta.photos[0].is_evidence
    kinds = [event.kind for event in acta.events]
    assert {"reported", "accepted", "resolved", "evidence_added"} <= set(kinds)
    text = pdf_text(acta_pdf(acta=acta, by=agency_manager))
    assert resolved.folio in text and "Limpiado o retirado" in text and "Interna" in text
    assert "Nota interna X" in text


def test_auditor_may_download(client, resolved, auditor):
    client.force_login(auditor)
    assert client.get(url(resolved)).status_code == 200


@pytest.mark.parametrize("role", ["citizen", "front_desk", "neighbourhood_leader", "authority"])
def test_other_roles_get_404(client, resolved, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(resolved)).status_code == 404


def test_the_reporter_never_gets_the_acta(client, actor, citizen):
    incident = report(actor, by=citizen)
    client.force_login(citizen)
    assert client.get(url(incident)).status_code == 404


def test_staff_of_another_actor_get_404(client, resolved, make_member):
    from django.contrib.auth.models import Group

    from portal.roles import Role
    from tests.factories.accounts import UserFactory

    stranger = UserFactory()
    stranger.groups.add(Group.objects.get(name=Role.AGENCY_MANAGER))
    make_member(stranger, ActorFactory(), is_manager=True)
    client.force_login(stranger)
    assert client.get(url(resolved)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, resolved):
    assert client.get(url(resolved)).status_code == 302


def test_reading_a_sensitive_cases_acta_is_logged(client, actor, agency_manager):
    if not agency_manager.has_perm("workflows.view_sensitive_incident"):
        pytest.skip("este rol no ve casos sensibles")
    incident = report(actor, category=SubSectionFactory(responsible_actor=actor, sensitive=True))
    client.force_login(agency_manager)
    assert client.get(url(incident)).status_code == 200
    assert SensitiveReadLog.objects.filter(incident=incident, user=agency_manager, what="acta_pdf").exists()
