"""Broker connections as every loop and probe of the suite opens, keeps alive and drops them."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from kombu import Connection

from shared.config import Settings
from shared.observability import BROKER_BLOCKED, BROKER_BLOCKED_SECONDS

T = TypeVar("T")
log = logging.getLogger(__name__)


class NotConnected(ConnectionError):
    """A loop used its broker connection before connecting or after dropping it; it reconnects."""


def connected(link: T | None) -> T:
    """The loop's connection (or channel, or producer) while it has one."""
    if link is None:
        raise NotConnected("no broker connection")
    return link


class ResourceAlarm:
    """The broker's resource alarm as one connection sees it (`connection.blocked`, `connection.unblocked`):
    logged when it starts and when it ends, shown by `chancery_broker_blocked` and counted in
    `chancery_broker_blocked_seconds_total`. A loop that publishes asks `blocked` and waits, rather than
    spending its confirm timeout and reconnecting (decision 0072)."""

    def __init__(self, service: str, connection: str, clock: Callable[[], float] = time.monotonic):
        self.service, self.connection = service, connection
        self._clock = clock
        self._since: float | None = None
        self._counted_to = 0.0

    @property
    def blocked(self) -> bool:
        return self._since is not None

    def block(self, reason: str = "") -> None:
        if self._since is None:
            self._since = self._counted_to = self._clock()
            BROKER_BLOCKED.labels(self.service, self.connection).set(1)
            log.warning("the broker blocks the %s connection (%s): publishing waits for its resource alarm to clear",
                        self.connection, reason)

    def count(self) -> None:
        """Add the time blocked since the last count to the counter, so that it grows during a long block."""
        if self._since is not None:
            now = self._clock()
            BROKER_BLOCKED_SECONDS.labels(self.service, self.connection).inc(now - self._counted_to)
            self._counted_to = now

    def end(self) -> None:
        """The broker unblocked the connection, or the connection is dropped (a new one learns afresh)."""
        if self._since is not None:
            self.count()
            BROKER_BLOCKED.labels(self.service, self.connection).set(0)
            log.warning("the broker's resource alarm on the %s connection ended after %.1fs",
                        self.connection, self._counted_to - self._since)
            self._since = None


def connect_once(url: str, alarm: ResourceAlarm | None = None, **options) -> Connection:
    """A connection tried once, within its `connect_timeout`: kombu's `connect()` tries again after 2 s, which
    the callers' own backoff already does, and a readiness probe must answer within its own timeout."""
    if alarm is not None:
        options["transport_options"] = {**options.get("transport_options", {}),
                                        "on_blocked": alarm.block, "on_unblocked": alarm.end}
    connection = Connection(url, **options)
    connection.ensure_connection(max_retries=0)
    return connection


def worker_connection(settings: Settings, alarm: ResourceAlarm, **options) -> Connection:
    """A worker loop's connection: AMQP heartbeats at the configured interval (decision 0071), the resource
    alarm watched (decision 0072)."""
    return connect_once(settings.amqp_url, alarm, connect_timeout=5, heartbeat=settings.broker_heartbeat_seconds,
                        **options)


def keep_alive(connection: Connection, timeout: float) -> None:
    """Read what the broker sent (waiting up to `timeout`), then send a heartbeat if one is due and check the
    broker's: raises `ConnectionForced` once it has been silent for two intervals (a half-open connection, a
    lost network), which no read would ever notice."""
    try:
        connection.drain_events(timeout=timeout)
    except TimeoutError:
        pass
    connection.heartbeat_check()


def wait_beating(connection: Connection | None, stop: threading.Event, seconds: float) -> bool:
    """`stop.wait(seconds)`, telling the broker every second meanwhile that this client lives, without reading:
    a loop holding messages while it waits (for the database) would otherwise be taken for dead and its
    messages redelivered against their delivery limit. The broker's own heartbeats are read at the loop's next
    turn."""
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        if connection is not None and connection.connected and connection.connection.heartbeat:
            try:
                connection.connection.send_heartbeat()
            except OSError:
                pass  # the loop's next read finds the connection broken
        if stop.wait(min(1.0, remaining)):
            return True
    return False


def drop(connection: Connection | None) -> None:
    """Throw a connection away without the closing handshake, which a silent broker would never answer.

    A py-amqp connection is a reference cycle (its frame writer and its channels' callbacks point back to
    it) holding a frame-sized buffer each: only the cycle collector frees it, and in a worker that
    allocates little that runs seldom, so a broker that keeps dropping connections grew the soak's workers
    by a tenth. They are collected here, at each drop."""
    if connection is not None:
        try:
            connection.collect()
        except Exception:  # noqa: BLE001 - the connection is being thrown away
            pass
        gc.collect()
