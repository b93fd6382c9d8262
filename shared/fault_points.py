"""Test-only pauses where a crash matters most, so that a fault test can SIGKILL a worker exactly there.

Off unless `CHANCERY_FAULT_PAUSE` names a point; deployments never set it. The worker logs that it reached
the point (the test waits for that line), then sleeps until it is killed, or for `CHANCERY_FAULT_PAUSE_SECONDS`
and goes on (a handler that outlives the broker's `consumer_timeout`).
"""

from __future__ import annotations

import logging
import os
import time

ENV = "CHANCERY_FAULT_PAUSE"
SECONDS_ENV = "CHANCERY_FAULT_PAUSE_SECONDS"
CONSUMER_BEFORE_COMMIT = "consumer-before-commit"  # the handler ran, its transaction is still open
CONSUMER_AFTER_COMMIT = "consumer-after-commit"  # committed, the message not yet acknowledged
RELAY_AFTER_PUBLISH = "relay-after-publish"  # the broker confirmed the batch, the outbox not yet marked
PAUSE_SECONDS = 600

log = logging.getLogger("chancery.fault_points")


def pause_at(point: str) -> None:
    if os.environ.get(ENV) == point:
        seconds = float(os.environ.get(SECONDS_ENV) or PAUSE_SECONDS)
        log.warning("fault point %s reached: pausing %.0fs or until killed", point, seconds)
        time.sleep(seconds)
