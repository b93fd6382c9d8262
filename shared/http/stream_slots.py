"""How many live streams one web process holds open at once (decisions 0056 and 0095).

In notifications each open stream keeps a gunicorn thread for as long as it lasts, so a process serves at most
`limit` of them and always keeps its other threads for ordinary requests; the console's streams cost a greenlet
each, and the limit bounds its memory.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import time
import weakref
from collections.abc import Callable

from flask import Flask, current_app

from shared.http.problems import Problem


class StreamSlots:
    def __init__(self, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._ends: dict[int, float] = {}
        self._keys = itertools.count()

    def take(self, seconds: float) -> Callable[[], None] | None:
        """A slot for a stream that lasts at most `seconds`, as the function that gives it back (safe to call
        twice); None when every slot is taken."""
        with self._lock:
            if len(self._ends) >= self.limit:
                return None
            key = next(self._keys)
            self._ends[key] = time.monotonic() + seconds

        def give_back() -> None:
            with self._lock:
                self._ends.pop(key, None)

        return give_back

    def seconds_until_one_frees(self) -> int:
        """When the soonest-ending open stream ends at the latest (whole seconds, at least 1): the Retry-After."""
        with self._lock:
            soonest = min(self._ends.values(), default=time.monotonic())
        return max(1, math.ceil(soonest - time.monotonic()))


# Each app's slots, beside it rather than in `app.extensions` under a string key; held weakly so that an app
# dropped (a test's) takes its slots with it.
_SLOTS: weakref.WeakKeyDictionary[Flask, StreamSlots] = weakref.WeakKeyDictionary()


def hold_stream_slots(app: Flask, limit: int) -> None:
    _SLOTS[app] = StreamSlots(limit)


def take_stream_slot(seconds: float) -> Callable[[], None]:
    """A slot of the app serving the current request, as the function that gives it back; 503 with Retry-After
    when every slot is taken."""
    slots = _SLOTS[current_app._get_current_object()]  # type: ignore[attr-defined]
    give_back = slots.take(seconds)
    if give_back is None:
        raise too_many_streams(slots)
    return give_back


def too_many_streams(slots: StreamSlots) -> Problem:
    """The refusal of one stream more than `slots` hold: 503, reconnect when the soonest open one ends."""
    wait = slots.seconds_until_one_frees()
    return Problem("too-many-streams", f"This server holds {slots.limit} live streams already; reconnect in {wait} s",
                   headers={"Retry-After": str(wait)})


def first_heartbeat_in(seconds: float) -> float:
    """When a new stream's first heartbeat is due: at a random point of the second half of the interval, so that
    streams opened together (everyone's pages reconnecting after a restart, a bench's 200 streams) do not all beat
    at the same instant for as long as they last, each burst a pause for the pages served meanwhile."""
    return seconds * random.uniform(0.5, 1.0)  # nosec B311: spreading load, not a secret
