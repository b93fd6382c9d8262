import pytest

from shared.suite import SERVICES
from tests.support.processes import Suite


@pytest.fixture(scope="package")
def every_service(tmp_path_factory):
    """All five services as real processes, shared by the security tests that attack or read them through their
    APIs and leave nothing the others would trip over: one start instead of one per module."""
    # Live streams that end at once: walks and schemathesis would otherwise wait out each one (and meet the cap).
    env = {"CHANCERY_WEB_WORKERS": "1", "NOTIFICATIONS_STREAM_SECONDS": "0.2"}
    with Suite(SERVICES, tmp_path_factory.mktemp("security"), extra_env=env) as suite:
        yield suite
