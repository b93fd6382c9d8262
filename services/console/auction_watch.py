"""The live reverse auction (decision 0110): one watch per auction and console process, shared by every page that
shows it. While a page is open the watch asks the contracts API for the auction's standing (the auction and its
latest bids in one read, decision 0180) every `POLL_SECONDS`, naming the standing it has (If-None-Match): an
unchanged one is answered 304, a changed one (a bid taken, a round begun or ended, the result posted) is handed to
each page's stream, which renders it in that person's language.

Under gunicorn's gevent worker the thread, queues and lock here are greenlets and their gevent counterparts.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from services.console.settings import ConsoleSettings
from services.console.upstream import Api
from shared.http.stream_slots import StreamSlots, first_heartbeat_in

POLL_SECONDS = 0.05  # a bid shows within this, plus one read, of its commit (bench: p50 <= 100 ms)
LINGER_SECONDS = 5  # a watch with no page left waits this long for one to come back before it stops reading
BIDS_SHOWN = 10
END = None  # put on a page's queue when the token is refused or the auction is gone


@dataclass(eq=False)
class Watch:
    auction_id: str
    token: str
    listeners: set[queue.Queue] = field(default_factory=set)
    standing: tuple[dict, list] | None = None  # the latest auction and bids, for a page that joins
    idle_since: float = 0.0


class AuctionWatch:
    def __init__(self, api: Api, settings: ConsoleSettings):
        self.api = api
        self.stream_seconds = settings.stream_seconds
        self.heartbeat_seconds = settings.stream_heartbeat_seconds
        self.slots = StreamSlots(settings.max_streams)
        self.watches: dict[str, Watch] = {}
        self._lock = threading.Lock()

    def join(self, auction_id: str, token: str) -> tuple[Watch, queue.Queue, Callable[[], None]] | None:
        """A queue fed by the auction's watch (started if need be); None when this process holds its most streams."""
        give_back = self.slots.take(self.stream_seconds)
        if give_back is None:
            return None
        listener: queue.Queue = queue.Queue()
        with self._lock:
            watch = self.watches.get(auction_id)
            if watch is None:
                watch = self.watches[auction_id] = Watch(auction_id, token)
                threading.Thread(target=self._run, args=(watch,), daemon=True, name="console-auction").start()
            watch.token = token
            if watch.standing is not None:
                listener.put(watch.standing)
            watch.listeners.add(listener)
        return watch, listener, give_back

    def stream(self, watch: Watch, listener: queue.Queue, give_back: Callable[[], None],
               render: Callable[[dict, list], str]) -> Iterator[str]:
        """One page's stream: each new standing as an event holding its HTML, ended after `stream_seconds`."""
        yield "retry: 1000\n\n"
        deadline = time.monotonic() + self.stream_seconds
        silence = first_heartbeat_in(self.heartbeat_seconds)
        while (left := deadline - time.monotonic()) > 0:
            try:
                standing = listener.get(timeout=min(silence, left))
            except queue.Empty:
                standing = None
            silence = self.heartbeat_seconds
            if standing is None:
                yield ": heartbeat\n\n"
                continue
            if standing is END:
                return
            html = render(*standing)
            yield "event: standing\n" + "".join(f"data: {line}\n" for line in html.splitlines()) + "\n"

    def leave(self, watch: Watch, listener: queue.Queue, give_back: Callable[[], None]) -> None:
        give_back()
        with self._lock:
            watch.listeners.discard(listener)
            if not watch.listeners:
                watch.idle_since = time.monotonic()

    def _run(self, watch: Watch) -> None:
        seen = ""  # the ETag of the standing last handed on
        while not self._closed(watch):
            standing = self.api.call(watch.token, "GET", "contracts", f"/auctions/{watch.auction_id}/standing",
                                     params={"bids": BIDS_SHOWN}, headers={"If-None-Match": seen} if seen else None)
            if standing.status in (401, 403, 404):
                return self._end(watch)
            if standing.status == 200:
                seen = standing.headers.get("etag", "")
                self._broadcast(watch, standing.body["auction"], standing.body["bids"])
            time.sleep(POLL_SECONDS)
        return None

    def _broadcast(self, watch: Watch, auction: dict, bids: list) -> None:
        with self._lock:
            watch.standing = (auction, bids)
            for listener in watch.listeners:
                listener.put(watch.standing)

    def _closed(self, watch: Watch) -> bool:
        with self._lock:
            if watch.listeners or time.monotonic() - watch.idle_since <= LINGER_SECONDS:
                return False
            del self.watches[watch.auction_id]
            return True

    def _end(self, watch: Watch) -> None:
        with self._lock:
            self.watches.pop(watch.auction_id, None)
            for listener in watch.listeners:
                listener.put(END)
