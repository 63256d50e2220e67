"""The media disk fills up while a report's photos are written: a clear error, nothing half-written."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from tests.factories.cms_content import NeighbourhoodFactory, SubSectionFactory
from tests.hostile.helpers import image_bytes, snapshot, upload

pytestmark = pytest.mark.django_db


class FullDisk(FileSystemStorage):
    """Writes the first file, then the disk is full (so the second write of a photo fails)."""

    writes = 0

    def _save(self, name, content):
        FullDisk.writes += 1
        if FullDisk.writes > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._save(name, content)


@pytest.fixture
def full_disk(settings, tmp_path):
    from django.utils.functional import empty

    from workflows.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    FullDisk.writes = 0
    private_storage._wrapped = FullDisk(location=str(tmp_path / "private"), base_url=None)
    yield tmp_path / "private"
    private_storage._wrapped = empty


def test_a_full_disk_gives_a_clear_error_and_leaves_no_file_or_row(client, full_disk):
    NeighbourhoodFactory()
    category = SubSectionFactory()
    before = snapshot()
    response = client.post(
        reverse("portal:report_form", args=[category.parent.slug, category.slug]),
        {
            "latitude": "-45.5712",
            "longitude": "-72.0685",
            "description": "Poste caído",
            "identity": "anonymous",
            "photos": [upload("a.jpg", image_bytes())],
        },
    )
    assert response.status_code in (200, 503, 507)
    assert "No pudimos guardar" in response.content.decode()
    assert snapshot() == before
    assert not [p for p in full_disk.rglob("*") if p.is_file()]
