"""The contracts service on SQLite with a frozen clock that tests move by hand (nothing ever sleeps), and its
operations on an in-memory unit of work on the same clock."""

from datetime import UTC, datetime, timedelta

import pytest

from services.contracts.app import SPEC
from services.contracts.settings import contracts_settings
from shared.testing import RecordingUnitOfWork


class FrozenClock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def contracts(service_app, clock):
    service = service_app("contracts")
    service.app.extensions["chancery"].clock = clock
    return service


@pytest.fixture
def uow(clock) -> RecordingUnitOfWork:
    return RecordingUnitOfWork(SPEC, actor="pavel", roles=frozenset({"procurement"}),
                               own_settings=contracts_settings({}), clock=clock)
