"""The events the outreach service publishes; each type's data follows a JSON Schema in this folder."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

# event type -> what it means (docs/asyncapi.yaml repeats these as the channels' summaries)
SUMMARIES = {
    "chancery.outreach.partner.created.v1": "A partner abroad (city, capital, region, authority) was registered.",
    "chancery.outreach.partner.updated.v1": "A partner's details or names changed.",
    "chancery.outreach.partner-relationship.established.v1":
        "A relationship with a partner (twin city, partner city, cooperation by agreement) was recorded.",
    "chancery.outreach.partner-relationship.updated.v1": "A relationship's dates or basis changed.",
    "chancery.outreach.partner-relationship.ended.v1": "A relationship with a partner was given an end date.",
    "chancery.outreach.partner-contact.added.v1":
        "A contact person at a partner was added (their personal details stay in outreach).",
    "chancery.outreach.partner-contact.updated.v1": "A contact person's details changed.",
    "chancery.outreach.partner-contact.removed.v1": "A contact person was removed.",
}
SCHEMAS = {"partner": "partner.v1.json", "partner-relationship": "partner-relationship.v1.json",
           "partner-contact": "partner-contact.v1.json"}

CATALOG = EventCatalog("outreach", Path(__file__).parent,
                       {event_type: SCHEMAS[event_type.split(".")[2]] for event_type in SUMMARIES})
