"""Watching a database for what other connections commit, on a connection of its own (decisions 0077 and 0059).

On PostgreSQL a trigger notifies a channel when a transaction that matters commits (never for one rolled back);
the watch listens on it and hands on each notification's payload. SQLite has no notifications: the watch reads
`PRAGMA data_version`, which changes whenever another connection commits, every `sqlite_interval` (a read of a
counter, microseconds), and says that something was committed. While the database is away it tries again with
backoff and says it is not watching; each time it starts watching it says so, for what was committed while
nothing watched. A subclass decides what each of these means.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from sqlalchemy.engine import make_url

from shared.bus.backoff import Backoff

log = logging.getLogger(__name__)

LISTEN_TURN_SECONDS = 1.0  # how often the listening connection looks at `stop`


class CommitWatch:
    NOT_WATCHING = "not watching the database"  # the log's warning while it cannot watch

    def __init__(self, database_url: str, channel: str, sqlite_interval: float, name: str):
        self.url = make_url(database_url)
        self.channel = channel
        self.sqlite_interval = sqlite_interval
        self.name = name
        self.watching = False
        self._backoff = Backoff()
        self._thread: threading.Thread | None = None

    def start(self, stop: threading.Event) -> None:
        """Watch in a thread of its own (a greenlet under gevent) until `stop` is set."""
        errors: tuple[type[Exception], ...]
        if self.url.get_backend_name() == "postgresql":
            import psycopg  # about 10 MiB: not in a process on SQLite

            watch, errors = self._listen, (psycopg.Error,)
        else:
            watch, errors = self._read_data_version, (sqlite3.Error,)
        self._thread = threading.Thread(target=self._keep_watching, args=(watch, errors, stop), name=self.name,
                                        daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=5)

    def started_watching(self) -> None:
        """Now watching: whatever was committed before may not have been seen."""

    def notified(self, payload: str) -> None:
        """PostgreSQL: a commit notified the channel with `payload`."""

    def changed(self, connection: sqlite3.Connection) -> None:
        """SQLite: another connection committed (also called once as watching starts, before
        `started_watching`); `connection` is the watch's own, for a look at what changed."""

    def _keep_watching(self, watch, errors: tuple[type[Exception], ...], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                watch(stop)
            except errors as error:
                delay = self._backoff.next()
                log.warning("%s; retrying in %.1fs: %s", self.NOT_WATCHING, delay, error)
                stop.wait(delay)
            finally:
                self.watching = False

    def _now_watching(self) -> None:
        self.watching = True
        self._backoff.reset()
        self.started_watching()

    def _listen(self, stop: threading.Event) -> None:
        import psycopg

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5, application_name=self.name) as connection:
            connection.execute(f"LISTEN {self.channel}")
            self._now_watching()
            while not stop.is_set():
                for notification in connection.notifies(timeout=LISTEN_TURN_SECONDS):
                    self.notified(notification.payload)

    def _read_data_version(self, stop: threading.Event) -> None:
        connection = sqlite3.connect(str(self.url.database), timeout=5)
        try:
            version = _data_version(connection)
            self.changed(connection)
            self._now_watching()
            while not stop.wait(self.sqlite_interval):
                if (current := _data_version(connection)) != version:
                    version = current
                    self.changed(connection)
        finally:
            connection.close()


def _data_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA data_version").fetchone()[0]
