"""Private file storage: incident photos and evidence, never served directly by the web server."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """FileSystemStorage under PRIVATE_MEDIA_ROOT, read from settings when first used (tests override it)."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For `FileField(storage=...)`: a callable, so migrations name it instead of freezing its location
    (which differs between settings)."""
    return private_storage
