"""What wakes the outbox relay as soon as an event is committed (decision 0077).

On PostgreSQL a trigger on the outbox notifies `chancery_outbox` at each commit that adds to it; a thread of
the worker listens on a connection of its own (outside the service's pool). SQLite has no notifications: a
thread reads the database's `PRAGMA data_version`, which changes whenever another connection commits, every
`SQLITE_WATCH_SECONDS` (a read of a counter, far cheaper than the relay's query). Either sets an event on
which the idle relay waits. While neither is watching (the database away), the relay polls every
`relay_poll_seconds` as before; while one is, it still looks every `WATCHING_POLL_SECONDS`, for a
notification lost to a silent network.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

import psycopg
from sqlalchemy.engine import make_url

from shared.bus.backoff import Backoff
from shared.plumbing_migrations import OUTBOX_WAKEUP_CHANNEL

log = logging.getLogger(__name__)

WATCHING_POLL_SECONDS = 1.0
SQLITE_WATCH_SECONDS = 0.005


class OutboxWakeup:
    def __init__(self, database_url: str, poll_seconds: float):
        self.url = make_url(database_url)
        self.poll_seconds = poll_seconds
        self.watching = False
        self._woken = threading.Event()
        self._backoff = Backoff()
        self._thread: threading.Thread | None = None

    def start(self, stop: threading.Event) -> None:
        """Watch in a thread of its own until `stop` is set."""
        watch = self._listen if self.url.get_backend_name() == "postgresql" else self._read_data_version
        self._thread = threading.Thread(target=self._keep_watching, args=(watch, stop), name="OutboxWakeup",
                                        daemon=True)
        self._thread.start()

    def wait(self) -> bool:
        """Until woken or for one poll interval; True when a commit woke it."""
        woken = self._woken.wait(WATCHING_POLL_SECONDS if self.watching else self.poll_seconds)
        self._woken.clear()
        return woken

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _keep_watching(self, watch, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                watch(stop)
            except (psycopg.Error, sqlite3.Error) as error:
                delay = self._backoff.next()
                log.warning("outbox wake-up not watching, the relay polls; retrying in %.1fs: %s", delay, error)
                stop.wait(delay)
            finally:
                self.watching = False

    def _started_watching(self) -> None:
        self.watching = True
        self._backoff.reset()
        self._woken.set()  # whatever was committed while nothing watched

    def _listen(self, stop: threading.Event) -> None:
        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"LISTEN {OUTBOX_WAKEUP_CHANNEL}")
            self._started_watching()
            while not stop.is_set():
                for _ in connection.notifies(timeout=WATCHING_POLL_SECONDS):
                    self._woken.set()

    def _read_data_version(self, stop: threading.Event) -> None:
        connection = sqlite3.connect(str(self.url.database), timeout=5)
        try:
            version = _data_version(connection)
            self._started_watching()
            while not stop.wait(SQLITE_WATCH_SECONDS):
                if (current := _data_version(connection)) != version:
                    version = current
                    self._woken.set()
        finally:
            connection.close()


def _data_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA data_version").fetchone()[0]
