"""The ledger of a fault run: what the suite promised, and what its consumers did about it.

Promised: every API write that answered with success, by service, table and record id, and the event ids its
transaction put in the service's outbox (read back from the outbox by subject). Done: each consumer's inbox,
and the effects the test can count per event across services: the in-app notifications of a recipient who
hears every event, the partner timeline outreach builds from visits, and the trips drafted from invitations
accepted abroad. A run fails if a promised write or any event is lost, or if any effect is applied twice.

Everything is read straight from the services' databases (past any fault proxy), so a check never depends
on the APIs that the faults are breaking.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from shared.bus.topology import EVENTS
from shared.suite import spec_of
from tests.support.processes import Suite, eventually

# How long a loaded machine may take to apply a run's events; the CI machine runs two test processes.
SETTLE_SECONDS = 180

# Subscribed to `chancery.#` with every role, so that each event of the suite gives them one notification.
EVERY_EVENT_RECIPIENT = "ledger-keeper"
VISIT_CREATED = "chancery.visits.visit.created.v1"


@dataclass(frozen=True)
class Write:
    service: str
    table: str
    record_id: str
    emits: bool  # whether the write's transaction records an event


@dataclass
class Snapshot:
    """What the databases hold at one moment."""

    records: dict[tuple[str, str], set[str]]  # (service, table) -> ids
    outbox: dict[str, dict[str, dict]]  # service -> event id -> {type, subject, published}
    inboxes: dict[str, set[str]]  # consuming service -> event ids applied
    notifications: Counter  # event id -> in-app notifications of EVERY_EVENT_RECIPIENT
    timeline: Counter  # event id -> outreach timeline entries
    drafted_trips: Counter  # invitation id -> trips drafted from it

    @property
    def events(self) -> dict[str, dict]:
        return {event_id: row for rows in self.outbox.values() for event_id, row in rows.items()}

    def unpublished(self) -> list[str]:
        return [event_id for event_id, row in self.events.items() if not row["published"]]

    def unapplied(self) -> dict[str, set[str]]:
        """Per consumer, the published events it subscribes to and has not applied yet."""
        events = self.events
        return {service: missing for service in self.inboxes
                if (missing := {event_id for event_id, row in events.items()
                                if subscribes(service, row["type"])} - self.inboxes[service])}


def subscribes(service: str, event_type: str) -> bool:
    return any(s.exchange == EVENTS and s.matches(event_type) for s in spec_of(service).subscriptions)


@dataclass
class Ledger:
    suite: Suite
    writes: list[Write] = field(default_factory=list)
    invitations_accepted_abroad: list[str] = field(default_factory=list)
    refusals: Counter = field(default_factory=Counter)  # (service, status) of writes that did not succeed
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _engines: dict[str, Engine] = field(default_factory=dict)

    # --- what the run promised ---

    def wrote(self, service: str, table: str, record_id: str, emits: bool = True) -> None:
        with self._lock:
            self.writes.append(Write(service, table, record_id, emits))

    def accepted_abroad(self, invitation_id: str) -> None:
        with self._lock:
            self.invitations_accepted_abroad.append(invitation_id)

    def refused(self, service: str, status: int) -> None:
        with self._lock:
            self.refusals[(service, status)] += 1

    # --- what the databases hold ---

    def _engine(self, service: str) -> Engine:
        if service not in self._engines:
            url = self.suite.direct_database_urls[service]
            self._engines[service] = create_engine(url, pool_size=1, max_overflow=0) if url.startswith(
                "postgresql") else create_engine(url)
        return self._engines[service]

    def _rows(self, service: str, sql: str, **params) -> list:
        with self._engine(service).connect() as connection:
            return connection.execute(text(sql), params).all()

    def snapshot(self) -> Snapshot:
        services = self.suite.services
        tables = {(write.service, write.table) for write in self.writes}
        consumers = [service for service in services if spec_of(service).subscriptions]
        return Snapshot(
            records={(service, table): {row[0] for row in self._rows(service, f"SELECT id FROM {table}")}  # noqa: S608
                     for service, table in tables},
            outbox={service: {row.event_id: {"type": row.type, "subject": row.subject,
                                             "published": row.published_at is not None}
                              for row in self._rows(service, "SELECT event_id, type, subject, published_at "
                                                             "FROM outbox")}
                    for service in services},
            inboxes={service: {row[0] for row in self._rows(service, "SELECT event_id FROM inbox WHERE consumer = :c",
                                                           c=service)}
                     for service in consumers},
            notifications=self._count("notifications", "SELECT event_id FROM notifications WHERE recipient = :r",
                                      r=EVERY_EVENT_RECIPIENT),
            timeline=self._count("outreach", "SELECT event_id FROM timeline_entries"),
            drafted_trips=self._count("trips", "SELECT invitation_id FROM trips WHERE invitation_id IS NOT NULL"),
        )

    def _count(self, service: str, sql: str, **params) -> Counter:
        return Counter(row[0] for row in self._rows(service, sql, **params)) if service in self.suite.services \
            else Counter()

    # --- the verdict ---

    def settled(self) -> Snapshot | None:
        """The snapshot once every event is published and every consumer has applied what it subscribes to."""
        snapshot = self.snapshot()
        if snapshot.unpublished() or snapshot.unapplied():
            return None
        if "notifications" in self.suite.services and set(snapshot.notifications) < set(snapshot.events):
            return None
        return snapshot

    def assert_exactly_once(self, timeout: float = SETTLE_SECONDS) -> Snapshot:
        """Wait until everything settled, then fail on anything lost or applied twice."""
        try:
            snapshot = eventually(self.settled, timeout=timeout, interval=0.5, message="every event applied")
        except AssertionError:
            snapshot = self.snapshot()
            unapplied = {service: len(missing) for service, missing in snapshot.unapplied().items()}
            raise AssertionError(f"not settled after {timeout}s: {len(snapshot.unpublished())} events unpublished, "
                                 f"unapplied per consumer {unapplied}; logs in {self.suite.workdir}") from None
        self.check(snapshot)
        return snapshot

    def check(self, snapshot: Snapshot) -> None:
        assert self.writes, "the run wrote nothing: it would prove nothing"
        lost = [write for write in self.writes if write.record_id not in snapshot.records[(write.service, write.table)]]
        assert lost == [], f"successful writes lost: {lost[:5]}"
        subjects = Counter((service, row["subject"]) for service, rows in snapshot.outbox.items()
                           for row in rows.values())
        silent = [write for write in self.writes if write.emits and not subjects[(write.service, write.record_id)]]
        assert silent == [], f"successful writes without their event: {silent[:5]}"
        events = snapshot.events
        if "notifications" in self.suite.services:
            assert set(snapshot.notifications) == set(events), "a notification for an event that was never written"
            assert twice(snapshot.notifications) == [], "an event notified twice"
        if "outreach" in self.suite.services:
            created = {event_id for event_id, row in snapshot.outbox.get("visits", {}).items()
                       if row["type"] == VISIT_CREATED}
            assert created <= set(snapshot.timeline), "a created visit missing from its partner's timeline"
            assert twice(snapshot.timeline) == [], "an event on the timeline twice"
        if "trips" in self.suite.services:
            assert set(self.invitations_accepted_abroad) <= set(snapshot.drafted_trips), "an invitation not drafted"
            assert twice(snapshot.drafted_trips) == [], "an invitation drafted into two trips"

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def hear_every_event(ledger: Ledger) -> None:
    """Subscribe EVERY_EVENT_RECIPIENT to every event, before any event, so that each event of the run gives them one
    in-app notification to count."""
    subscribed = ledger.suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": "chancery.#"},
                                   roles="admin", sub=EVERY_EVENT_RECIPIENT)
    assert subscribed.status == 201, subscribed.body
    ledger.wrote("notifications", "subscriptions", subscribed.json["id"], emits=False)


def twice(counts: Counter) -> list:
    return [key for key, count in counts.items() if count > 1]
