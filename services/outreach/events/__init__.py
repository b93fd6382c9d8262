"""The events the outreach service publishes: none yet."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

CATALOG = EventCatalog("outreach", Path(__file__).parent, {})
