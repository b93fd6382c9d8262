"""The events the trips service publishes: none yet."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

CATALOG = EventCatalog("trips", Path(__file__).parent, {})
