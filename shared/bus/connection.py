"""Broker connections as every loop and probe of the suite opens and drops them."""

from __future__ import annotations

import gc
from typing import TypeVar

from kombu import Connection

T = TypeVar("T")


class NotConnected(ConnectionError):
    """A loop used its broker connection before connecting or after dropping it; it reconnects."""


def connected(link: T | None) -> T:
    """The loop's connection (or channel, or producer) while it has one."""
    if link is None:
        raise NotConnected("no broker connection")
    return link


def connect_once(url: str, **options) -> Connection:
    """A connection tried once, within its `connect_timeout`: kombu's `connect()` tries again after 2 s, which
    the callers' own backoff already does, and a readiness probe must answer within its own timeout."""
    connection = Connection(url, **options)
    connection.ensure_connection(max_retries=0)
    return connection


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
