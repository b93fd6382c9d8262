"""Who has new in-app notifications: one watch per web process wakes the live streams of those people only
(decision 0059), instead of every stream polling the database.

On PostgreSQL a trigger on `notifications` (`inbox_arrivals`, migration 5f0e9a1c2b59) notifies `chancery_inbox`
with each recipient of in-app rows as the transaction that added them commits. On SQLite the watch reads the rows
added since its last look, on its own connection, whenever `PRAGMA data_version` says another connection
committed. The streams woken then read their own rows as before; the watch only says whom to wake.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection

from prometheus_client import Counter

from services.notifications.domain.delivery_plan import IN_APP
from shared.commit_watch import CommitWatch

INBOX_CHANNEL = "chancery_inbox"
SQLITE_WATCH_SECONDS = 0.05
STREAM_READS = Counter("chancery_inbox_stream_reads_total",
                       "Live streams' reads of their person's new notifications: as a stream opens (opened), when "
                       "the process's watch wakes it (woken), or every 0.25 s while that watch is down (polled)",
                       ["cause"])


class Follower:
    """One open stream's wake-up call: set when its person may have new notifications."""

    def __init__(self, arrivals: InboxArrivals, recipient: str):
        self.arrivals, self.recipient = arrivals, recipient
        self._woken = threading.Event()

    def wait(self, seconds: float) -> bool:
        """Until woken or `seconds` passed; True when woken (a wake-up while the stream was busy counts)."""
        woken = self._woken.wait(seconds)
        self._woken.clear()
        return woken

    def wake(self) -> None:
        self._woken.set()

    def close(self) -> None:
        self.arrivals.leave(self)


class InboxArrivals(CommitWatch):
    NOT_WATCHING = "inbox arrivals not watching, live streams poll"

    def __init__(self, database_url: str):
        super().__init__(database_url, INBOX_CHANNEL, SQLITE_WATCH_SECONDS, "InboxArrivals")
        self._lock = threading.Lock()
        self._followers: dict[str, set[Follower]] = {}
        self._stop = threading.Event()
        self._started = False
        self._last_rowid: int | None = None  # SQLite: the newest row the watch has looked at

    def follow(self, recipient: str) -> Follower:
        """Woken whenever `recipient` may have new in-app notifications; the first follower starts the watch."""
        follower = Follower(self, recipient)
        with self._lock:
            first, self._started = not self._started, True
            self._followers.setdefault(recipient, set()).add(follower)
        if first:
            self.start(self._stop)
        return follower

    def leave(self, follower: Follower) -> None:
        with self._lock:
            followers = self._followers.get(follower.recipient, set())
            followers.discard(follower)
            if not followers:
                self._followers.pop(follower.recipient, None)

    def stop(self) -> None:
        self._stop.set()

    def started_watching(self) -> None:
        self._wake(None)  # whatever arrived while nothing watched

    def notified(self, payload: str) -> None:
        self._wake((payload,))

    def changed(self, connection: sqlite3.Connection) -> None:
        if self._last_rowid is None:
            self._last_rowid = connection.execute("SELECT coalesce(max(rowid), 0) FROM notifications").fetchone()[0]
            return
        rows = connection.execute("SELECT rowid, recipient, channel FROM notifications WHERE rowid > ?",
                                  (self._last_rowid,)).fetchall()
        if rows:
            self._last_rowid = max(row[0] for row in rows)
            arrived = {recipient for _rowid, recipient, channel in rows if channel == IN_APP}
            self._wake(arrived)

    def _wake(self, recipients: Collection[str] | None) -> None:
        """Wake the followers of `recipients`, or everyone's (None)."""
        with self._lock:
            if recipients is None:
                woken = [follower for followers in self._followers.values() for follower in followers]
            else:
                woken = [follower for recipient in recipients for follower in self._followers.get(recipient, ())]
        for follower in woken:
            follower.wake()
