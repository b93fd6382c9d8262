"""The events the visits service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled")

CATALOG = EventCatalog("visits", Path(__file__).parent,
                       {f"chancery.visits.visit.{action}.v1": "visit.v1.json" for action in VISIT_ACTIONS})
