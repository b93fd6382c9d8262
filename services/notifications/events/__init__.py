"""The events the notifications service publishes: none yet."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

CATALOG = EventCatalog("notifications", Path(__file__).parent, {})
