"""Every event of the suite is fanned out to the people and systems that may hear about it.

In the consumer's transaction (with the inbox row) the handler writes the in-app notifications and plans
every other delivery; the worker's dispatcher sends those later (services/notifications/dispatch.py).
A redelivered event therefore plans nothing twice: the inbox row and the unique (event, recipient, channel)
of `deliveries` both say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from opentelemetry import trace
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications.domain.audience import concerns, is_confidential, may_receive, owner_of
from services.notifications.domain.delivery_plan import IN_APP, Planned, is_critical, plan
from services.notifications.domain.templates import default_book
from services.notifications.store.models import (
    Delivery,
    DeliveryAttempt,
    Notification,
    RoleSubscription,
    Subscription,
    Watch,
    Webhook,
    new_id,
)
from services.notifications.store.models import (
    Recipient as RecipientRow,
)
from services.notifications.store.recipients import recipient_view, recipients_with_role, stored_recipients
from shared.bus.consumer import Subscription as EventSubscription
from shared.bus.consumer import topic_matches
from shared.bus.topology import EVENTS
from shared.db import utcnow
from shared.uow import UnitOfWork


@dataclass
class Listener:
    """Someone who asked to hear this event, with the roles and language their subscription carries."""

    roles: frozenset[str]
    language: str
    owner: bool = False  # the event is about this person's own registration: need-to-know does not apply


AUDIENCE = "notifications.audience"  # the key of the transaction's Audience in its session's info


@dataclass
class Audience:
    """Who asked to hear what, read once per consumer transaction and shared by the events of its batch
    (decision 0076): no event changes it, and reading it before each event also flushed the rows of the
    events before it, one round trip each."""

    subscriptions: list[Subscription]
    watches: list[Watch]
    role_subscriptions: list[tuple[str, list[tuple[str, frozenset[str]]]]]  # pattern, the role's people
    webhooks: list[Webhook]
    recipients: dict[str, RecipientRow | None] = field(default_factory=dict)  # read as events name them

    @classmethod
    def of(cls, session: Session) -> Audience:
        audience = session.info.get(AUDIENCE)
        if audience is None:
            with session.no_autoflush:
                audience = session.info[AUDIENCE] = cls(
                    subscriptions=list(session.execute(
                        select(Subscription).where(Subscription.channel == IN_APP)).scalars()),
                    watches=list(session.execute(select(Watch)).scalars()),
                    role_subscriptions=[(row.pattern, recipients_with_role(session, row.role))
                                        for row in session.execute(select(RoleSubscription)).scalars()],
                    webhooks=list(session.execute(select(Webhook).where(Webhook.enabled.is_(True))).scalars()))
        return audience

    def stored(self, session: Session, names: list[str]) -> dict[str, RecipientRow]:
        """The stored rows of these people; those not read yet in this transaction, in one query."""
        unread = [name for name in names if name not in self.recipients]
        if unread:
            with session.no_autoflush:
                found = stored_recipients(session, unread)
            self.recipients.update({name: found.get(name) for name in unread})
        return {name: row for name in names if (row := self.recipients[name]) is not None}


def listeners(audience: Audience, event: dict[str, Any]) -> dict[str, Listener]:
    """Everyone whose pattern, role subscription or watched record matches; each person once."""
    found: dict[str, Listener] = {}
    owner = owner_of(event)
    if owner:
        found[owner] = Listener(frozenset(), "", owner=True)
    for row in audience.subscriptions:
        if topic_matches(row.pattern, event["type"]):
            found.setdefault(row.subscriber, Listener(frozenset(row.subscriber_roles.split(",")), row.language))
    for row in audience.watches:
        if concerns(event, row.record_type, row.record_id):
            found.setdefault(row.subscriber, Listener(frozenset(row.subscriber_roles.split(",")), ""))
    for pattern, people in audience.role_subscriptions:
        if topic_matches(pattern, event["type"]):
            for name, roles in people:
                found.setdefault(name, Listener(roles, ""))
    return found


def fan_out(work: UnitOfWork, event: dict[str, Any], now: datetime | None = None) -> None:
    session, now = work.session, now or utcnow()
    data = event.get("data")
    if data is not None and not isinstance(data, dict):
        raise TypeError(f"the data of {event['type']} is not a JSON object but {type(data).__name__}")
    event = {**event, "data": data or {}}
    critical, confidential = is_critical(event["type"], event["data"]), is_confidential(event["data"])
    audience = Audience.of(session)
    heard_by = listeners(audience, event)
    stored = audience.stored(session, list(heard_by))
    for name, listener in heard_by.items():
        recipient = recipient_view(stored.get(name), name, listener.roles, listener.language)
        if not listener.owner and not may_receive(event["type"], recipient.roles, confidential):
            continue
        for planned in plan(recipient, critical, now):
            _deliver_to_person(session, event, recipient.name, recipient.language, recipient.email, planned,
                               critical, now)
    for webhook in audience.webhooks:
        if topic_matches(webhook.pattern, event["type"]) and may_receive(
                event["type"], frozenset(webhook.owner_roles.split(",")), confidential):
            session.add(Delivery(event_id=event["id"], event_type=event["type"], recipient=f"webhook:{webhook.id}",
                                 channel="webhook", target=webhook.url, payload=event, critical=critical,
                                 due_at=now))


def _deliver_to_person(session: Session, event: dict[str, Any], name: str, language: str, email: str | None,
                       planned: Planned, critical: bool, now: datetime) -> None:
    message = default_book().render(event, planned.channel, language)
    delivery = Delivery(id=new_id(), event_id=event["id"], event_type=event["type"], recipient=name,
                        channel=planned.channel, target=name if planned.channel == IN_APP else email or "",
                        title=message.title,
                        body=message.body, critical=critical, digest=planned.digest, due_at=planned.due_at)
    session.add(delivery)
    if planned.channel != IN_APP:
        return
    # The inbox row is the in-app delivery itself: it is logged as done in the same transaction.
    span_context = trace.get_current_span().get_span_context()
    session.add(Notification(
        event_id=event["id"], event_type=event["type"], subject=event.get("subject") or "", recipient=name,
        channel=IN_APP, title=message.title, body=message.body, data=event["data"],
        trace_id=format(span_context.trace_id, "032x") if span_context.is_valid else None))
    delivery.status, delivery.attempts, delivery.finished_at = "delivered", 1, now
    session.add(DeliveryAttempt(delivery_id=delivery.id, number=1, channel=IN_APP, started_at=now,
                                finished_at=now, outcome="delivered"))


SUBSCRIPTIONS = [EventSubscription(EVENTS, "chancery.#", fan_out)]
