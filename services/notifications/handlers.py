"""Every event of the suite is fanned out to the subscribers who may hear about it."""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from sqlalchemy import select

from services.notifications.domain.audience import may_receive
from services.notifications.domain.templates import default_book
from services.notifications.store.models import Notification, Subscription
from shared.bus.consumer import Subscription as EventSubscription
from shared.bus.consumer import topic_matches
from shared.bus.topology import EVENTS
from shared.uow import UnitOfWork


def fan_out(work: UnitOfWork, event: dict[str, Any]) -> None:
    """One in-app notification per (event, recipient): a recipient with two matching patterns hears once."""
    session = work.session
    data = event.get("data")
    if data is not None and not isinstance(data, dict):
        raise TypeError(f"the data of {event['type']} is not a JSON object but {type(data).__name__}")
    data = data or {}
    span_context = trace.get_current_span().get_span_context()
    trace_id = format(span_context.trace_id, "032x") if span_context.is_valid else None
    notified: set[str] = set()
    for subscription in session.execute(select(Subscription).where(Subscription.channel == "in-app")).scalars():
        roles = frozenset(subscription.subscriber_roles.split(","))
        if (subscription.subscriber in notified or not topic_matches(subscription.pattern, event["type"])
                or not may_receive(event["type"], roles)):
            continue
        notified.add(subscription.subscriber)
        message = default_book().render({**event, "data": data}, "in-app", subscription.language)
        session.add(Notification(
            event_id=event["id"], event_type=event["type"], subject=event.get("subject") or "",
            recipient=subscription.subscriber, channel="in-app", title=message.title, body=message.body,
            data=data, trace_id=trace_id))


SUBSCRIPTIONS = [EventSubscription(EVENTS, "chancery.#", fan_out)]
