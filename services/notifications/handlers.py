"""What the worker does with the events it consumes: every event of the suite is fanned out to the people and
systems that may hear about it (`operations/fan_out.py`)."""

from __future__ import annotations

from services.notifications.operations.fan_out import fan_out
from shared.bus.consumer import Subscription
from shared.bus.topology import EVENTS

# Withheld records too: their events reach those who need to know (decision 0190).
SUBSCRIPTIONS = [Subscription(EVENTS, "chancery.#", fan_out, withheld=True)]
