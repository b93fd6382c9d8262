"""The unit of work: one transaction holding a change, its events (the outbox) and its audit record.

Use cases (`services/<name>/operations/`) take it as their first argument, whoever calls them: a view
(`shared.http.work.unit_of_work`), an event handler or a periodic task (`worker_unit_of_work`), or a unit test
(`shared.testing.RecordingUnitOfWork`, the same class on an in-memory database).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Insert, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from shared.db import PlumbingTables, Withholdable, utcnow
from shared.kit.withholding import OPEN, marking, withheld
from shared.service import ServiceRuntime


class UnitOfWork:
    def __init__(self, session: Session, runtime: ServiceRuntime, actor: str, roles: frozenset[str],
                 request_id: str | None, department: str | None = None):
        self.session = session
        self.runtime = runtime
        self.actor, self.roles, self.request_id, self.department = actor, roles, request_id, department

    @property
    def service(self) -> str:
        return self.runtime.spec.name

    @property
    def settings(self) -> Any:
        """The service's own settings (`services/<name>/settings.py`)."""
        return self.runtime.own_settings

    def now(self) -> datetime:
        return self.runtime.clock()

    def emit(self, event_type: str, subject: str, data: dict[str, Any]) -> str:
        return self.runtime.outbox.record(self.session, event_type, subject, data)

    def audit(self, action: str, record_type: str, record_id: str, changes: dict[str, Any]) -> None:
        self.session.execute(insert(self.runtime.spec.tables.audit),
                             self._audit_row(action, record_type, record_id, changes))

    def _audit_row(self, action: str, record_type: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return {"at": utcnow(), "actor": self.actor, "roles": ",".join(sorted(self.roles)), "action": action,
                "record_type": record_type, "record_id": record_id, "changes": changes, "request_id": self.request_id}

    def record_change(self, record_type: str, action: str, record: Any, contents: Callable[[Any], dict[str, Any]],
                      changes: dict[str, Any], *, part_of: Withholdable | None = None) -> str:
        """The event `chancery.<service>.<record_type>.<action>.v1` with `contents(record)` and the audit record
        `<record_type>.<action>` of one change; the record is flushed first so its id and defaults are filled.
        A withholdable record's event, or that of a part of one (`part_of`, e.g. an agreement's document), carries
        its marking while it is withheld, and a record no longer withheld is announced as released (decision
        0190). On PostgreSQL the event and the audit record go in one statement (one round trip); elsewhere `emit`
        then `audit`."""
        self.session.flush()
        data = self.marked(contents(record), part_of if part_of is not None else record)
        event_type = f"chancery.{self.service}.{record_type}.{action}.v1"
        event_id = self._record_event_and_audit(event_type, record_type, record.id, data, f"{record_type}.{action}",
                                                changes)
        if isinstance(record, Withholdable):
            self._follow_withholding(record_type, record, data)
        return event_id

    def _record_event_and_audit(self, event_type: str, record_type: str, record_id: str, data: dict[str, Any],
                                audited: str, changes: dict[str, Any]) -> str:
        if self.session.get_bind().dialect.name != "postgresql":
            event_id = self.emit(event_type, record_id, data)
            self.audit(audited, record_type, record_id, changes)
            return event_id
        event = self.runtime.outbox.row(event_type, record_id, data)
        audit = self._audit_row(audited, record_type, record_id, changes)
        self.session.execute(_event_and_audit(self.runtime.spec.tables, tuple(event), tuple(audit)), {
            **{f"event_{name}": value for name, value in event.items()},
            **{f"audit_{name}": value for name, value in audit.items()}})
        return event["event_id"]

    def marked(self, data: dict[str, Any], record: Any) -> dict[str, Any]:
        """`data` of an event about `record` (or a part of it), with `record`'s marking while it is withheld: such
        an event goes out under `withheld.<type>` (decision 0190)."""
        if isinstance(record, Withholdable):
            data.update(to_jsonable_python(marking(record, self.now())))
        return data

    def release(self, record_type: str, record: Any, contents: Callable[[Any], dict[str, Any]]) -> None:
        """Announce that `record`, withheld until now, is not any more: its whole self as
        `chancery.<service>.<record_type>.released.v1`, for everyone who was not told while it was withheld."""
        self.emit(f"chancery.{self.service}.{record_type}.released.v1", record.id, contents(record))
        self.audit(f"{record_type}.released", record_type, record.id, {"embargoed_until": str(record.embargoed_until)})
        record.withheld_announced = False
        self._parts_released(record_type, record)

    def _parts_released(self, record_type: str, record: Any) -> None:
        if self.runtime.spec.on_release is not None:
            self.runtime.spec.on_release(self, record_type, record)

    def _follow_withholding(self, record_type: str, record: Any, data: dict[str, Any]) -> None:
        still_withheld = withheld(record, self.now())
        if record.withheld_announced and not still_withheld:
            self.emit(f"chancery.{self.service}.{record_type}.released.v1", record.id, data)
            self._parts_released(record_type, record)
        if record.withheld_announced != still_withheld:  # the same value set again would still make the record dirty:
            record.withheld_announced = still_withheld  # the next query's autoflush would go over it for nothing


@cache
def _event_and_audit(tables: PlumbingTables, event: tuple[str, ...], audit: tuple[str, ...]) -> Insert:
    """The audit record's INSERT (of the columns `audit`) with the event's (`event`) in a WITH before it
    (PostgreSQL): one statement, built once."""
    recorded = insert(tables.outbox).values(_parameters(tables.outbox, "event_", event)).cte("recorded_event")
    return insert(tables.audit).values(_parameters(tables.audit, "audit_", audit)).add_cte(recorded)


def _parameters(table: Table, prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: bindparam(prefix + name, type_=table.c[name].type) for name in names}


def worker_unit_of_work(service: ServiceRuntime, session: Session, cause: str) -> UnitOfWork:
    """The unit of work of the worker acting on its own (an event it consumes, a periodic task).

    `cause` (the consumed event's id, or the task's name) stands where a request id would.
    """
    return UnitOfWork(session, service, f"worker:{service.spec.name}", frozenset(), cause)


def release_embargoes(uow: UnitOfWork, model: type[Withholdable], record_type: str,
                      contents: Callable[[Any], dict[str, Any]], now: datetime) -> list[Any]:
    """A periodic task's work at `now`: announce each record of `model` whose embargo has passed since its last
    event as released, once (decision 0190); the records released."""
    passed = select(model).where(model.withheld_announced.is_(True), model.confidentiality == OPEN,
                                 model.embargoed_until <= now)
    released = list(uow.session.scalars(passed.with_for_update(skip_locked=True)))
    for record in released:
        uow.release(record_type, record, contents)
    return released
