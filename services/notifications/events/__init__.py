"""The events the notifications service publishes."""

from pathlib import Path

from shared.bus.envelope import EventCatalog

CATALOG = EventCatalog("notifications", Path(__file__).parent, {
    "chancery.notifications.webhook.disabled.v1": "webhook.v1.json",
    "chancery.notifications.decision.escalated.v1": "decision.v1.json",
})
