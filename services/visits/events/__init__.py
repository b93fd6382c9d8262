"""The events the visits service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled")
# record -> (past-tense actions, schema file)
RECORDS = {
    "visit": (VISIT_ACTIONS, "visit.v1.json"),
    "delegation-member": (("added", "updated", "removed"), "delegation-member.v1.json"),
    "agenda-item": (("scheduled", "updated", "removed"), "agenda-item.v1.json"),
}

CATALOG = EventCatalog("visits", Path(__file__).parent, {
    f"chancery.visits.{record}.{action}.v1": schema
    for record, (actions, schema) in RECORDS.items() for action in actions})
