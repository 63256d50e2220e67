"""Export jobs: progress while the file is written, a status endpoint, a download for the requester."""

import pytest

from indicators.models import ExportJob
from indicators.services import export_job_run

pytestmark = pytest.mark.django_db


def test_job_reports_progress_and_finishes(world, monkeypatch):
    for _ in range(5):
        world.incident()
    job = ExportJob.objects.create(scope="public", format="csv", params={})
    seen = []
    import indicators.exports as exports

    real = exports._counting

    def every_two(rows, progress, every=1000):
        def spy(count):
            progress(count)
            seen.append(ExportJob.objects.values_list("status", "done", "total").get(pk=job.pk))

        return real(rows, spy, every=2)

    monkeypatch.setattr(exports, "_counting", every_two)
    assert export_job_run(job_id=job.pk) == ExportJob.Status.DONE
    assert seen[:2] == [("running", 2, 5), ("running", 4, 5)]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.progress_pct) == ("done", 5, 5, 100)
    assert job.file.name.endswith(".csv")


def test_request_poll_and_download(client, world, django_capture_on_commit_callbacks):
    incident = world.incident()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/indicadores/exportar/", {"formato": "geojson", "alcance": "public"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/indicadores/exportar/{job.uid}/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"aria-live" in page.content
    status = client.get(f"/indicadores/exportar/{job.uid}/estado/").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["total"] == 1
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert incident.folio in b"".join(download.streaming_content).decode()


def test_other_visitors_cannot_see_a_job(client, world, citizen):
    job = ExportJob.objects.create(requested_by=citizen, scope="public", format="csv", params={})
    assert client.get(f"/indicadores/exportar/{job.uid}/estado/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/indicadores/exportar/{job.uid}/estado/").status_code == 200
    assert client.get("/indicadores/exportar/no-es-un-uid/estado/").status_code == 404


def test_staff_scope_is_not_offered_to_the_public(client):
    response = client.post("/indicadores/exportar/", {"formato": "csv", "alcance": "staff"})
    assert response.status_code == 200
    assert not ExportJob.objects.exists()
    assert response.context["form"].errors["alcance"]


def test_bad_dates_change_nothing(client):
    response = client.post(
        "/indicadores/exportar/",
        {"formato": "csv", "alcance": "public", "desde": "2026-05-01", "hasta": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "debe ser anterior" in response.content.decode()
    assert not ExportJob.objects.exists()
