"""The console's live relay (decision 0095): a page's stream beats in silence, and pages opened together do not
beat together."""

from __future__ import annotations

import queue
import time

from services.console.live import Relay
from services.console.settings import load_console_settings

HEARTBEAT = 0.2


def silences_before_heartbeats(relay: Relay, beats: int) -> list[float]:
    stream = relay.stream(None, queue.Queue())  # type: ignore[arg-type]  # the stream reads only its listener
    assert next(stream).startswith("retry:")
    silences = []
    for _ in range(beats):
        started = time.monotonic()
        assert next(stream) == ": heartbeat\n\n"
        silences.append(time.monotonic() - started)
    return silences


def test_streams_opened_together_send_their_first_heartbeats_at_different_moments_then_beat_at_the_interval():
    settings = load_console_settings({"CONSOLE_STREAM_HEARTBEAT_SECONDS": str(HEARTBEAT)})
    relay = Relay(None, settings)  # type: ignore[arg-type]  # no feed is started by a stream alone
    streams = [silences_before_heartbeats(relay, 2) for _ in range(6)]
    firsts = [first for first, _ in streams]
    assert all(HEARTBEAT / 2 - 0.01 <= first <= HEARTBEAT + 0.05 for first in firsts), firsts
    assert max(firsts) - min(firsts) > 0.01, firsts  # six draws within 10 ms of each other: about 1 in 10**5
    assert all(HEARTBEAT - 0.01 <= second <= HEARTBEAT + 0.05 for _, second in streams), streams
