"""What wakes the outbox relay as soon as an event is committed (decision 0077).

On PostgreSQL a trigger on the outbox notifies `chancery_outbox` at each commit that adds to it; SQLite's watch
reads `PRAGMA data_version` every `SQLITE_WATCH_SECONDS` (`shared.commit_watch`). Either sets an event on which the
idle relay waits. While neither is watching (the database away), the relay polls every `relay_poll_seconds` as
before; while one is, it still looks every `WATCHING_POLL_SECONDS`, for a notification lost to a silent network.
"""

from __future__ import annotations

import sqlite3
import threading

from shared.commit_watch import CommitWatch

OUTBOX_WAKEUP_CHANNEL = "chancery_outbox"  # notified by the outbox trigger (shared.plumbing_migrations)
WATCHING_POLL_SECONDS = 1.0
SQLITE_WATCH_SECONDS = 0.005


class OutboxWakeup(CommitWatch):
    NOT_WATCHING = "outbox wake-up not watching, the relay polls"

    def __init__(self, database_url: str, poll_seconds: float):
        super().__init__(database_url, OUTBOX_WAKEUP_CHANNEL, SQLITE_WATCH_SECONDS, "OutboxWakeup")
        self.poll_seconds = poll_seconds
        self._woken = threading.Event()

    def wait(self) -> bool:
        """Until woken or for one poll interval; True when a commit woke it."""
        woken = self._woken.wait(WATCHING_POLL_SECONDS if self.watching else self.poll_seconds)
        self._woken.clear()
        return woken

    def started_watching(self) -> None:
        self._woken.set()  # whatever was committed while nothing watched

    def notified(self, payload: str) -> None:
        self._woken.set()

    def changed(self, connection: sqlite3.Connection) -> None:
        self._woken.set()  # any commit, the relay's own marking of a batch too: it then looks once
