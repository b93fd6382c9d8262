"""The events the visits service publishes; each type's data follows a JSON Schema in this folder."""

import json
from pathlib import Path

from shared.bus.envelope import EventCatalog

VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled",
                 "released")
# record -> (past-tense actions, schema file)
RECORDS = {
    "visit": (VISIT_ACTIONS, "visit.v1.json"),
    "delegation-member": (("added", "updated", "removed"), "delegation-member.v1.json"),
    "agenda-item": (("scheduled", "updated", "removed"), "agenda-item.v1.json"),
    "rank-table": (("replaced",), "rank-table.v1.json"),
    "seating-plan": (("generated",), "seating-plan.v1.json"),
    "visit-flags": (("set",), "visit-flags.v1.json"),
    "gift": (("registered", "updated", "declaration-required"), "gift.v1.json"),
    "checklist-task": (("added", "updated", "completed", "overdue"), "checklist-task.v1.json"),
    "interpreter": (("registered", "updated"), "interpreter.v1.json"),
    "interpretation-need": (("booked", "requested", "cancelled"), "interpretation-need.v1.json"),
    "invitation": (("received", "updated", "reviewed", "assigned", "delegated", "accepted", "declined", "overdue"),
                   "invitation.v1.json"),
    "meeting": (("planned", "updated", "held", "cancelled", "released"), "meeting.v1.json"),
    "meeting-follow-up": (("added", "updated", "completed", "removed"), "meeting-follow-up.v1.json"),
    "meeting-minutes": (("revised",), "meeting-minutes.v1.json"),
    "function": (("scheduled", "updated", "cancelled"), "function.v1.json"),
    "function-invitee": (("invited", "responded"), "function-invitee.v1.json"),
    "press-accreditation": (("requested", "approved", "rejected"), "press-accreditation.v1.json"),
    "visa-letter": (("drafted", "submitted", "approved", "returned", "issued", "purged"), "visa-letter.v1.json"),
    "official": (("registered", "updated"), "official.v1.json"),
    "visit-report": (("drafted", "updated", "submitted", "revised"), "visit-report.v1.json"),
}

CATALOG = EventCatalog("visits", Path(__file__).parent, {
    f"chancery.visits.{record}.{action}.v1": schema
    for record, (actions, schema) in RECORDS.items() for action in actions})

# What the city's document system sends to chancery.inbound (consumed in handlers.py).
INBOUND_INVITATION = "chancery.inbound.invitation.received.v1"
INBOUND_INVITATION_SCHEMA = json.loads((Path(__file__).parent / "inbound-invitation.v1.json").read_text())
