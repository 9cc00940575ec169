from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Case files, receipts, imports: under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so neither a
    web server nor the development media route serves them; scoped views stream them.

    The location is read from settings on each use (not fixed when the model class loads), so a
    deployment or a test can move it."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> PrivateStorage:
    return PrivateStorage()
