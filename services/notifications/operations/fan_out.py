"""Every event of the suite is fanned out to the people and systems that may hear about it.

In the consumer's transaction (with the inbox row) the use case writes the in-app notifications and plans
every other delivery; the worker's dispatcher sends those later (services/notifications/channels/dispatcher.py).
A redelivered event therefore plans nothing twice: the inbox row and the unique (event, recipient, channel)
of `deliveries` both say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opentelemetry import trace
from sqlalchemy.orm import Session

from services.notifications.channels.templates import default_book
from services.notifications.domain.audience import addressed_role, concerns, is_confidential, may_receive, owner_of
from services.notifications.domain.delivery_plan import IN_APP, Planned, is_critical, plan
from services.notifications.domain.waiting import Waiting, waits_for
from services.notifications.operations.waiting import track_decision
from services.notifications.store.audience import Audience
from services.notifications.store.models import Delivery, DeliveryAttempt, Notification
from services.notifications.store.recipients import recipient_view, recipients_with_role
from shared.bus.consumer import topic_matches
from shared.kit.ids import new_id
from shared.set_inserts import insert_in_set
from shared.uow import UnitOfWork


@dataclass
class Listener:
    """Someone who asked to hear this event, with the roles and language their subscription carries."""

    roles: frozenset[str]
    language: str
    # Addressed to this person (their own registration, a decision escalated to their role): need-to-know and the
    # deciding service's departments do not apply.
    owner: bool = False


def listeners(audience: Audience, event: dict[str, Any], waiting: Waiting | None = None) -> dict[str, Listener]:
    """Everyone whose pattern, role subscription or watched record matches; each person once. A role
    subscription for what awaits one's decision matches when the event leaves its record `waiting` for them."""
    found: dict[str, Listener] = {}
    owner = owner_of(event)
    if owner:
        found[owner] = Listener(frozenset(), "", owner=True)
    for subscription in audience.subscriptions:
        if topic_matches(subscription.pattern, event["type"]):
            found.setdefault(subscription.subscriber, Listener(frozenset(subscription.subscriber_roles.split(",")),
                                                               subscription.language))
    for watch in audience.watches:
        if concerns(event, watch.record_type, watch.record_id):
            found.setdefault(watch.subscriber, Listener(frozenset(watch.subscriber_roles.split(",")), ""))
    for row, people in audience.role_subscriptions:
        if topic_matches(row.pattern, event["type"]):
            for person in people:
                if row.scope != "awaiting" or waits_for(waiting, row.role, person.department):
                    found.setdefault(person.name, Listener(person.roles, ""))
    return found


def fan_out(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Plan every delivery of `event` (the in-app ones delivered at once), as of the unit of work's clock."""
    session, now = uow.session, uow.now()
    data = event.get("data")
    if data is not None and not isinstance(data, dict):
        raise TypeError(f"the data of {event['type']} is not a JSON object but {type(data).__name__}")
    event = {**event, "data": data or {}}
    critical, confidential = is_critical(event["type"], event["data"]), is_confidential(event["data"])
    current, waiting = track_decision(uow, event)
    audience = Audience.of(session)
    heard_by = listeners(audience, event, waiting if current else None)
    heard_by.update(_addressees(session, event))
    stored = audience.stored(session, list(heard_by))
    for name, listener in heard_by.items():
        recipient = recipient_view(stored.get(name), name, listener.roles, listener.language)
        # a withheld record's event is checked even for whom it is addressed to (decision 0190)
        if (confidential or not listener.owner) and not may_receive(
                event["type"], recipient.roles, confidential, event["data"], recipient.department, recipient.name):
            continue
        for planned in plan(recipient, critical, now):
            _deliver_to_person(session, event, recipient.name, recipient.language, recipient.email, planned,
                               critical, now)
    for webhook in audience.webhooks:
        if topic_matches(webhook.pattern, event["type"]) and may_receive(
                event["type"], frozenset(webhook.owner_roles.split(",")), confidential, event["data"]):
            _plan_delivery(session, event, f"webhook:{webhook.id}", "webhook", webhook.url, critical, due_at=now,
                           payload=event)


def _addressees(session: Session, event: dict[str, Any]) -> dict[str, Listener]:
    """Everyone holding the role an event is addressed to (an escalated decision)."""
    role = addressed_role(event)
    if role is None:
        return {}
    return {person.name: Listener(person.roles, "", owner=True) for person in recipients_with_role(session, role)}


def _deliver_to_person(session: Session, event: dict[str, Any], name: str, language: str, email: str | None,
                       planned: Planned, critical: bool, now: datetime) -> None:
    message = default_book().render(event, planned.channel, language)
    in_app = planned.channel == IN_APP
    # The inbox row is the in-app delivery itself: it is logged as done in the same transaction.
    delivery_id = _plan_delivery(session, event, name, planned.channel, name if in_app else email or "", critical,
                                 due_at=planned.due_at, digest=planned.digest, title=message.title,
                                 body=message.body, done_at=now if in_app else None)
    if not in_app:
        return
    span_context = trace.get_current_span().get_span_context()
    insert_in_set(session, Notification, {
        "event_id": event["id"], "event_type": event["type"], "subject": event.get("subject") or "",
        "recipient": name, "channel": IN_APP, "title": message.title, "body": message.body, "data": event["data"],
        "trace_id": format(span_context.trace_id, "032x") if span_context.is_valid else None})
    insert_in_set(session, DeliveryAttempt, {"delivery_id": delivery_id, "number": 1, "channel": IN_APP,
                                             "started_at": now, "finished_at": now, "outcome": "delivered"})


def _plan_delivery(session: Session, event: dict[str, Any], recipient: str, channel: str, target: str,
                   critical: bool, *, due_at: datetime, digest: bool = False, title: str = "", body: str = "",
                   payload: dict[str, Any] | None = None, done_at: datetime | None = None) -> str:
    """A row of `deliveries`, inserted with the transaction's others (decision 0200); `done_at`: delivered then."""
    delivery_id = new_id()
    insert_in_set(session, Delivery, {
        "id": delivery_id, "event_id": event["id"], "event_type": event["type"], "recipient": recipient,
        "channel": channel, "target": target, "title": title, "body": body, "payload": payload,
        "critical": critical, "digest": digest, "due_at": due_at, "status": "delivered" if done_at else "pending",
        "attempts": 1 if done_at else 0, "finished_at": done_at})
    return delivery_id
