from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings: LazySettings, tmp_path: Path) -> None:
    """Evidence files uploaded by a test go to its own directory, never var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
