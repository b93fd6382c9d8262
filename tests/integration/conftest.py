import pytest

from tests.support.processes import Suite

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
