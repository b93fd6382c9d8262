"""The events the contracts service publishes: none yet."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

CATALOG = EventCatalog("contracts", Path(__file__).parent, {})
