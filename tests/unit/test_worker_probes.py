"""The worker's liveness: each loop's heartbeat, and a loop that is late or dead fails the probe."""

from __future__ import annotations

import threading

from shared.worker_probes import LoopHeartbeat, WorkerLoop, liveness_checks
from tests.support.processes import eventually


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_loop_that_looks_at_its_stop_event_is_on_time_and_one_that_does_not_falls_late():
    clock, stop = Clock(), threading.Event()
    heartbeat = LoopHeartbeat(stop, clock)
    clock.now += 5
    assert heartbeat.late_by() == 5
    assert heartbeat.is_set() is False
    assert heartbeat.late_by() == 0


def test_a_waiting_loop_is_late_only_once_its_wait_should_have_ended():
    clock, stop = Clock(), threading.Event()
    heartbeat = LoopHeartbeat(stop, clock)
    clock.now = 1010.0  # late by 10 s until the wait begins
    waiting = threading.Thread(target=heartbeat.wait, args=(30,))
    waiting.start()
    try:
        eventually(lambda: heartbeat.late_by() == 0, timeout=5, message="the wait to begin")
        clock.now = 1039.0
        assert heartbeat.late_by() == 0
        clock.now = 1060.0
        assert heartbeat.late_by() == 20
    finally:
        stop.set()
        waiting.join(5)
    assert heartbeat.late_by() == 0


def test_liveness_names_a_stalled_loop_and_a_stopped_one_and_passes_the_others():
    stop = threading.Event()

    class Busy:
        def run(self, heartbeat):
            stop.wait()

    class Stuck:
        def run(self, heartbeat):
            stop.wait()

    class Finished:
        def run(self, heartbeat):
            pass

    clock = Clock()
    loops = [WorkerLoop(kind().run, stop, clock) for kind in (Busy, Stuck, Finished)]
    for loop in loops:
        loop.thread.start()
    loops[2].thread.join(5)
    clock.now += 200
    loops[0].heartbeat.is_set()  # Busy looked at its stop event just now; Stuck has not for 200 s
    try:
        assert liveness_checks(loops, stall_seconds=120)() == {
            "Busy": "ok", "Stuck": "no progress for 200s", "Finished": "stopped"}
        assert liveness_checks(loops, stall_seconds=300)()["Stuck"] == "ok"
    finally:
        stop.set()
        for loop in loops:
            loop.thread.join(5)
