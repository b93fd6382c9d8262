"""The events the contracts service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

ACTIONS = {
    "plan-line": ("created", "updated", "approved", "tendered", "cancelled"),
    "supplier": ("registered", "updated"),
    "tender": ("created", "updated", "published", "completed", "failed", "cancelled"),
    "tender-document": ("published",),
    "enquiry": ("asked", "answered"),
    "bid": ("submitted", "withdrawn", "qualified", "disqualified"),
    "auction": ("scheduled", "finished"),
    "auction-bid": ("placed",),
    "award": ("evaluated", "activated", "cancelled"),
    "contract": ("created", "signed", "amended", "completed", "terminated", "cancelled"),
    "contract-milestone": ("scheduled", "met", "partially-met", "missed"),
    "contract-payment": ("recorded",),
    "agreement": ("drafted", "updated", "submitted", "approved", "sent-back", "cleared", "signed", "amended",
                  "terminated", "cancelled", "expiring", "released"),
    "agreement-document": ("added",),
    "commitment": ("registered", "updated", "fulfilled", "breached", "cancelled", "due", "overdue"),
}

CATALOG = EventCatalog("contracts", Path(__file__).parent, {
    f"chancery.contracts.{record}.{action}.v1": f"{record}.v1.json"
    for record, actions in ACTIONS.items() for action in actions
})
