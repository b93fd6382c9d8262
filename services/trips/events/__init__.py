"""The events the trips service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

TRIP_ACTIONS = ("created", "updated", "submitted", "step-approved", "approved", "sent-back", "recalled",
                "cancelled", "closed", "reopened", "released")
RECORD_ACTIONS = {"leg": ("added", "updated", "removed"), "stay": ("added", "updated", "removed"),
                  "meeting": ("added", "updated", "removed"), "daily-rate": ("created", "updated"),
                  "exchange-rate": ("created", "updated"), "cost": ("added", "removed"),
                  "proposal": ("created", "approved", "rejected", "withdrawn"),
                  "report": ("drafted", "updated", "submitted", "revised"), "document": ("recorded",),
                  "coordination": ("detected",)}

CATALOG = EventCatalog("trips", Path(__file__).parent, {
    **{f"chancery.trips.trip.{action}.v1": "trip.v1.json" for action in TRIP_ACTIONS},
    **{f"chancery.trips.{record}.{action}.v1": f"{record}.v1.json"
       for record, actions in RECORD_ACTIONS.items() for action in actions},
})
