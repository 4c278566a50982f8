"""Fixtures for every assurance test: uploads kept in the test's own directory, and the people of
a Respect accreditation (`respect.tests.builders.Cast`)."""

from pathlib import Path

import pytest
from django.conf import LazySettings

from tandem.assurance.respect.tests import builders
from tandem.assurance.respect.tests.builders import Cast
from tandem.conftest import ServiceStaff


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings: LazySettings, tmp_path: Path) -> None:
    """Evidence files uploaded by a test go to its own directory, never var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def cast(staffed_service: ServiceStaff) -> Cast:
    """The service's staff and Respect's people: one per part."""
    return builders.cast_for(staffed_service)
