"""The trips app on a fresh SQLite file, without any network."""

import pytest


@pytest.fixture
def trips(service_app):
    return service_app("trips")
