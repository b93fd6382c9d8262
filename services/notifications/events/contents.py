"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from services.notifications.events import CATALOG
from services.notifications.store.models import WaitingDecision, Webhook


def webhook(record: Webhook) -> dict[str, Any]:
    """A webhook as its owner may hear about it: the receiver's host, never the URL's path or the secret."""
    return CATALOG.contents("webhook", record, host=webhook_host(record))


def webhook_host(record: Webhook) -> str:
    return urlsplit(record.url).hostname or ""


def decision(record: WaitingDecision) -> dict[str, Any]:
    """A decision escalated: the record waiting, for whom, since when, and the role now told."""
    return CATALOG.contents("decision", record, escalated_to=record.escalate_to)
