"""The live badge's relay (decision 0095): one upstream notification stream per person and console process,
shared by every page that person has open; each page's own stream is bounded in time, and the process holds at
most `max_streams` of them.

Under gunicorn's gevent worker (the console's, `shared.gunicorn_conf`) the threads, queues and locks here are
greenlets and their gevent counterparts, so an open page costs a greenlet and a queue, not a thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from services.console.settings import ConsoleSettings
from services.console.upstream import Api
from shared.http.stream_slots import StreamSlots, first_heartbeat_in

log = logging.getLogger("chancery.console.live")

RETRY_MS = 1000
HISTORY = 100  # the events a feed remembers, for a page that comes back with Last-Event-ID
LINGER_SECONDS = 10  # a feed with no page left waits this long for one to reconnect before it closes upstream
AWAY_SECONDS = 5.0  # how long a feed waits before reopening when notifications did not answer
AGAIN_SECONDS = 0.5  # between one upstream stream's end and the next (it resumes after the last event: no gap)
END = "end"  # put on a page's queue when its feed ends for good (the token is refused)


@dataclass(eq=False)
class Feed:
    """One person's upstream stream and the queues of the pages it feeds."""

    subject: str
    token: str
    origin: str | None  # the id the feed started after: the first page's Last-Event-ID, or the newest then
    cursor: str | None = None  # where upstream resumes: the last event's id, or where it started
    listeners: set[queue.Queue] = field(default_factory=set)
    history: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=HISTORY))
    idle_since: float = 0.0

    def remember(self, event_id: str, text: str) -> None:
        if len(self.history) == HISTORY:
            self.origin = None  # the oldest events are forgotten: a page resuming from the origin is not served
        self.history.append((event_id, text))
        self.cursor = event_id

    def backlog(self, last_seen: str | None) -> list[str] | None:
        """What a page that saw `last_seen` last has not seen yet; None when this feed cannot tell (the page
        is then relayed a stream of its own from upstream)."""
        if not last_seen:
            return []
        if last_seen == self.origin:
            return [text for _, text in self.history]
        seen = [event_id for event_id, _ in self.history]
        if last_seen not in seen:
            return None
        return [text for _, text in list(self.history)[seen.index(last_seen) + 1:]]


class Relay:
    def __init__(self, api: Api, settings: ConsoleSettings):
        self.api = api
        self.stream_seconds = settings.stream_seconds
        self.heartbeat_seconds = settings.stream_heartbeat_seconds
        self.slots = StreamSlots(settings.max_streams)
        self.feeds: dict[str, Feed] = {}
        self._lock = threading.Lock()

    def join(self, subject: str, token: str, last_seen: str | None) -> tuple[Feed, queue.Queue] | None:
        """A queue fed by the person's feed (started if need be), holding what the page missed since
        `last_seen`; None when the feed cannot tell what that was."""
        with self._lock:
            feed = self.feeds.get(subject)
            if feed is None:
                feed = self.feeds[subject] = Feed(subject, token, last_seen or None, cursor=last_seen or None)
                threading.Thread(target=self._run, args=(feed,), daemon=True, name="console-feed").start()
            backlog = feed.backlog(last_seen)
            if backlog is None:
                return None
            feed.token = token  # the newest of the person's tokens: pages reconnect at least every stream
            listener: queue.Queue = queue.Queue()
            for text in backlog:
                listener.put(text)
            feed.listeners.add(listener)
        return feed, listener

    def stream(self, feed: Feed, listener: queue.Queue) -> Iterator[str]:
        """One page's stream: what its feed relays, a heartbeat in silence, ended after `stream_seconds`. The page
        leaves its feed when the server closes the response (`leave`), whether it ended, went away or never began."""
        yield f"retry: {RETRY_MS}\n\n"
        deadline = time.monotonic() + self.stream_seconds
        silence = first_heartbeat_in(self.heartbeat_seconds)
        while (left := deadline - time.monotonic()) > 0:
            try:
                text = listener.get(timeout=min(silence, left))
            except queue.Empty:
                text = ": heartbeat\n\n"
            silence = self.heartbeat_seconds
            if text == END:
                return
            yield text

    def leave(self, feed: Feed, listener: queue.Queue) -> None:
        with self._lock:
            feed.listeners.discard(listener)
            if not feed.listeners:
                feed.idle_since = time.monotonic()

    def _run(self, feed: Feed) -> None:
        if feed.cursor is None:
            newest = self._newest(feed.token)
            with self._lock:
                feed.cursor = feed.origin = newest
        while not self._closed(feed):
            wait = self._follow(feed)
            if wait is None:
                self._end(feed)
                return
            time.sleep(wait)

    def _newest(self, token: str) -> str | None:
        """The newest notification's id: where upstream resumes if the feed's first stream ends before any event."""
        answer = self.api.call(token, "GET", "notifications", "/inbox", params={"page_size": 1})
        return answer.items[0]["id"] if answer.items else None

    def _follow(self, feed: Feed) -> float | None:
        """Relay one upstream stream until it ends; how long to wait before the next, None when refused (401)."""
        resume = {"Last-Event-ID": feed.cursor} if feed.cursor else {}
        try:
            upstream = self.api.stream(feed.token, "notifications", "/inbox/stream", resume)
        except httpx.HTTPError as error:
            log.warning("the notification stream did not open: %s", type(error).__name__)
            return AWAY_SECONDS
        try:
            if upstream.status_code == 401:
                return None
            if upstream.status_code != 200:
                return float(upstream.headers.get("Retry-After") or AWAY_SECONDS)
            for event_id, text in _events(upstream.iter_lines()):
                self._broadcast(feed, event_id, text)
                if self._abandoned(feed):
                    break
        except httpx.HTTPError as error:
            log.warning("the notification stream broke off: %s", type(error).__name__)
            return AWAY_SECONDS
        finally:
            upstream.close()
        return AGAIN_SECONDS

    def _broadcast(self, feed: Feed, event_id: str | None, text: str | None) -> None:
        if text is None:
            return  # a heartbeat: only a chance to notice that no page is left
        with self._lock:
            if event_id:
                feed.remember(event_id, text)
            for listener in feed.listeners:
                listener.put(text)

    def _abandoned(self, feed: Feed) -> bool:
        with self._lock:
            return not feed.listeners and time.monotonic() - feed.idle_since > LINGER_SECONDS

    def _closed(self, feed: Feed) -> bool:
        """Whether the feed has had no page for LINGER_SECONDS; if so it is gone (a new page starts another)."""
        with self._lock:
            if feed.listeners or time.monotonic() - feed.idle_since <= LINGER_SECONDS:
                return False
            del self.feeds[feed.subject]
            return True

    def _end(self, feed: Feed) -> None:
        with self._lock:
            self.feeds.pop(feed.subject, None)
            for listener in feed.listeners:
                listener.put(END)


def _events(lines: Iterable[str]) -> Iterator[tuple[str | None, str | None]]:
    """Server-sent events as (id, the event's text); (None, None) for a block without data (a heartbeat,
    `retry:`)."""
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
            continue
        if any(part.startswith("data:") for part in block):
            event_id = next((part[3:].strip() for part in block if part.startswith("id:")), None)
            yield event_id, "\n".join(block) + "\n\n"
        else:
            yield None, None
        block = []
