import uuid

import pytest

from tests.support.processes import Suite, create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def chain_suite(request, tmp_path_factory):
    """visits and notifications as real processes, on SQLite and on PostgreSQL."""
    suite = Suite(("visits", "notifications"), tmp_path_factory.mktemp(f"chain-{request.param}"),
                  database=request.param)
    with suite:
        yield suite


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def visits_suite(request, tmp_path_factory):
    """The visits service alone as real processes, on SQLite and on PostgreSQL."""
    suite = Suite(("visits",), tmp_path_factory.mktemp(f"visits-{request.param}"), database=request.param)
    with suite:
        yield suite


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """An empty scratch database of each kind: a SQLite file, or a PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/scratch.db"
        return
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    yield create_postgres_database(name)
    drop_postgres_database(name)
