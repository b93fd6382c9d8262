"""What a service declares about itself, and the runtime parts built from it (the composition root's output)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData

from shared.bus.consumer import Subscription
from shared.bus.envelope import EventCatalog
from shared.bus.outbox import Outbox
from shared.bus.topology import Topology
from shared.config import Settings
from shared.db import Database, PlumbingTables, utcnow
from shared.pii import install_keys


@dataclass(frozen=True)
class PeriodicTask:
    """Work the worker does every `every_seconds`: `run(work, now)` in one transaction; must be idempotent."""

    name: str
    every_seconds: float
    run: Callable[[Any, datetime], None]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    metadata: MetaData
    tables: PlumbingTables
    catalog: EventCatalog
    package_dir: Path
    subscriptions: list[Subscription] = field(default_factory=list)
    periodic_tasks: list[PeriodicTask] = field(default_factory=list)
    # Further loops of the worker that need more than one transaction (e.g. sending notifications): each
    # factory builds, from the runtime, a bound `run(stop: threading.Event)` method run on its own thread.
    worker_loops: list[Callable[[ServiceRuntime], Callable[[Any], None]]] = field(default_factory=list)
    # Who may do what beyond the routes' `allow` declarations (e.g. by the token's department), in Markdown
    # paragraphs; docs/permissions.md prints them under the service's matrix.
    access_notes: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()  # the Prometheus metrics the service defines itself (see shared.observability)
    # Reads the service's own settings (`services/<name>/settings.py`) from the environment and the overrides.
    own_settings: Callable[[dict[str, str] | None], Any] | None = None
    # The service's own steps in each of its write transactions, installed once per runtime built (web, worker,
    # CLI): it listens on `runtime.database.listen(...)` (e.g. contracts releases OCDS data before the commit).
    transaction_hooks: Callable[[ServiceRuntime], None] | None = None
    # `(uow, record type, record)`: at a withheld record's release, the events of its parts that only those who
    # needed to know heard, announced again for the rest (decision 0190; e.g. a visit's submitted report).
    on_release: Callable[[Any, str, Any], None] | None = None

    @property
    def migrations_dir(self) -> Path:
        return self.package_dir / "migrations"


@dataclass
class ServiceRuntime:
    spec: ServiceSpec
    settings: Settings
    database: Database
    outbox: Outbox
    topology: Topology
    own_settings: Any = None  # the service's own settings (services/<name>/settings.py)
    clock: Callable[[], datetime] = utcnow  # what operations ask for the time (tests may freeze it)

    def read_backlog(self) -> tuple[int, float]:
        with self.database.read_session() as session:
            return self.outbox.backlog(session)

    @classmethod
    def build(cls, spec: ServiceSpec, settings: Settings, own_settings: Any = None) -> ServiceRuntime:
        """The runtime of `spec`; its own settings are read from the environment unless given."""
        install_keys(settings)
        if own_settings is None and spec.own_settings is not None:
            own_settings = spec.own_settings(None)
        runtime = cls(spec=spec, settings=settings, database=Database(settings.database_url),
                      outbox=Outbox(spec.name, spec.tables, spec.catalog), topology=Topology(settings),
                      own_settings=own_settings)
        if spec.transaction_hooks is not None:
            spec.transaction_hooks(runtime)
        return runtime
