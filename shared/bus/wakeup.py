"""What wakes the outbox relay: on PostgreSQL, the notification each outbox commit sends (decision 0077).

A listener thread holds its own connection (outside the service's pool) with `LISTEN chancery_outbox` and
sets an event for every notification. The relay waits on that event instead of sleeping out its poll
interval, so an event leaves within a round trip of its commit. While the listener is not listening (the
database away, SQLite, which has no NOTIFY), the relay polls every `relay_poll_seconds` as before; while it
is, the relay still looks every `LISTENING_POLL_SECONDS`, for a notification lost to a silent network.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import make_url

from shared.bus.backoff import Backoff
from shared.plumbing_migrations import OUTBOX_WAKEUP_CHANNEL

log = logging.getLogger(__name__)

LISTENING_POLL_SECONDS = 1.0


class OutboxWakeup:
    def __init__(self, database_url: str, poll_seconds: float):
        url = make_url(database_url)
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False) \
            if url.get_backend_name() == "postgresql" else None
        self.poll_seconds = poll_seconds
        self.listening = False
        self._woken = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, stop: threading.Event) -> None:
        """Listen in a thread of its own until `stop` is set (nothing to do on SQLite)."""
        if self._conninfo is None:
            return
        self._thread = threading.Thread(target=self._listen, args=(stop, Backoff()), name="OutboxWakeup",
                                        daemon=True)
        self._thread.start()

    def wait(self) -> bool:
        """Until woken or for one poll interval; True when an outbox commit woke it."""
        woken = self._woken.wait(LISTENING_POLL_SECONDS if self.listening else self.poll_seconds)
        self._woken.clear()
        return woken

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _listen(self, stop: threading.Event, backoff) -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {OUTBOX_WAKEUP_CHANNEL}")
                    self.listening = True
                    backoff.reset()
                    self._woken.set()  # whatever was committed while nobody listened
                    while not stop.is_set():
                        for _ in connection.notifies(timeout=LISTENING_POLL_SECONDS):
                            self._woken.set()
            except psycopg.Error as error:
                delay = backoff.next()
                log.warning("outbox wake-up not listening, the relay polls; retrying in %.1fs: %s", delay, error)
                stop.wait(delay)
            finally:
                self.listening = False
