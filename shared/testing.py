"""The unit of work of the operations' unit tests: the real class on an in-memory SQLite database of the
service's own tables, keeping the events and audit records it is given in lists to assert on.

The integration suite (`tests/`) runs the same operations through the real processes on the real databases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from alembic import command
from alembic.config import Config
from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from shared.bus.envelope import routing_key_for
from shared.config import load_settings
from shared.db import make_engine, utcnow
from shared.migrations import alembic_config
from shared.pii import install_keys
from shared.service import ServiceSpec
from shared.uow import UnitOfWork, worker_unit_of_work


class RecordingUnitOfWork(UnitOfWork):
    def __init__(self, spec: ServiceSpec, *, actor: str = "tester", roles: frozenset[str] = frozenset(),
                 department: str | None = None, own_settings: Any = None, clock: Callable[[], datetime] = utcnow):
        engine = create_engine("sqlite://", poolclass=StaticPool)
        spec.metadata.create_all(engine)
        runtime = SimpleNamespace(spec=spec, own_settings=own_settings, clock=clock)
        super().__init__(Session(engine), runtime, actor, roles, "test-request", department)  # type: ignore[arg-type]
        self.events: list[tuple[str, str, dict[str, Any]]] = []
        self.audits: list[tuple[str, str, str, dict[str, Any]]] = []

    def emit(self, event_type: str, subject: str, data: dict[str, Any]) -> str:
        self.events.append((event_type, subject, data))
        return f"event-{len(self.events)}"

    def audit(self, action: str, record_type: str, record_id: str, changes: dict[str, Any]) -> None:
        self.audits.append((action, record_type, record_id, changes))

    def event_types(self) -> list[str]:
        return [event_type for event_type, _, _ in self.events]


def install_test_keys() -> None:
    """A fresh personal-data key for this process, for unit tests that touch encrypted columns."""
    install_keys(SimpleNamespace(pii_keys=[Fernet.generate_key().decode()]))  # type: ignore[arg-type]


def migrated_to(spec: ServiceSpec, url: str, revision: str) -> tuple[Config, Engine]:
    """The service's database at `url` migrated up to `revision`, with the service's personal-data keys installed:
    for the tests of a migration that rewrites stored values (insert rows, upgrade, look, downgrade)."""
    config = alembic_config(spec, url)
    install_keys(load_settings(spec.name))
    command.upgrade(config, revision)
    return config, make_engine(url)


def routed_outbox(runtime: Any) -> list[tuple[str, str]]:
    """(type, routing key) of every event a service's database has recorded, in order: an event about a withheld
    record under `withheld.<type>` (decision 0190)."""
    table = runtime.spec.tables.outbox
    with runtime.database.read_session() as session:
        rows = session.execute(select(table.c.type, table.c.data).order_by(table.c.position)).all()
    return [(event_type, routing_key_for(event_type, data)) for event_type, data in rows]


def run_task(runtime: Any, task: Callable[[UnitOfWork, datetime], None], now: datetime) -> None:
    """A periodic task's work at `now`, in one transaction of the worker's, as the worker's runner does it."""
    with runtime.database.session() as session:
        task(worker_unit_of_work(runtime, session, "test"), now)
