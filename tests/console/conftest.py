"""Visits, trips and notifications as real processes on the real broker, and the console in front of them,
signing people in with its development sign-in page (the browser tests sign in through a real provider)."""

from __future__ import annotations

import pytest

from tests.support.console import Console
from tests.support.processes import Suite

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips", "notifications"), tmp_path_factory.mktemp("console")) as running:
        yield running


@pytest.fixture(scope="module")
def console(suite):
    return Console(suite).start()  # stopped with the suite
