"""The events the contracts service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

PLAN_LINE_ACTIONS = ("created", "updated", "approved", "tendered", "cancelled")

CATALOG = EventCatalog("contracts", Path(__file__).parent, {
    **{f"chancery.contracts.plan-line.{action}.v1": "plan-line.v1.json" for action in PLAN_LINE_ACTIONS},
})
