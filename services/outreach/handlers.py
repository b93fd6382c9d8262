"""What outreach does when other services' events arrive: each partner's timeline, the analytics, the annual
plan fed by agreements (contracts), trip reports (trips) and visits (visits), the twin-city relationships signed
twinning agreements establish and the renewal tasks of agreements nearing their end (docs/decisions/0135); and with
partners and contacts sent by the city's registry (docs/decisions/0046)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.outreach.domain.plan import (
    MalformedSource,
    Source,
    SourcedActivity,
    activities_of,
    renewal_activities,
    visit_activities,
)
from services.outreach.events.inbound import (
    INBOUND_CONTACT,
    INBOUND_PARTNER,
    ContactFields,
    PartnerFields,
    registry_update,
)
from services.outreach.operations.analytics import fold_event
from services.outreach.operations.city_registry import receive_contact, receive_partner
from services.outreach.operations.partners import end_twinning, record_twinning
from services.outreach.operations.plan import SourceChange, follow_source
from services.outreach.operations.timeline import append_to_timeline
from shared.bus.consumer import PoisonMessage, Subscription
from shared.bus.topology import EVENTS, INBOUND
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Feed:
    """How one event type describes its source's plan items: which source, its activities, whether it ended."""

    source: Source
    activities: Callable[[dict], list[SourcedActivity]]
    ended: Callable[[dict], bool] = lambda data: False


def listed(list_field: str) -> Callable[[dict], list[SourcedActivity]]:
    def read(data: dict) -> list[SourcedActivity]:
        starts_on = date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None
        return activities_of(data, list_field, starts_on)
    return read


VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled")
PLAN_FEEDS = {
    "chancery.contracts.agreement.signed.v1": Feed(Source.AGREEMENT, listed("activities")),
    "chancery.contracts.agreement.amended.v1": Feed(Source.AGREEMENT, listed("activities")),
    "chancery.contracts.agreement.terminated.v1": Feed(Source.AGREEMENT, listed("activities"), lambda data: True),
    "chancery.contracts.agreement.expiring.v1": Feed(Source.AGREEMENT_RENEWAL, renewal_activities),
    "chancery.trips.report.submitted.v1": Feed(Source.TRIP_REPORT, listed("follow_ups")),
    **{f"chancery.visits.visit.{action}.v1": Feed(Source.VISIT, visit_activities,
                                                   lambda data: data.get("status") == "cancelled")
       for action in VISIT_ACTIONS},
}


def source_change(event: dict[str, Any]) -> SourceChange:
    """What a feeding event says about its record's plan items, or PoisonMessage naming what is wrong."""
    feed = PLAN_FEEDS[event["type"]]
    data = event.get("data")
    if not isinstance(data, dict) or not data.get("id") or not event.get("time"):
        raise PoisonMessage(f"{event['type']} without data.id or time")
    try:
        activities = feed.activities(data)
    except (MalformedSource, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event['type']}: {error}") from error
    return SourceChange(feed.source, str(data["id"]), event["type"], datetime.fromisoformat(event["time"]),
                        activities, feed.ended(data), data.get("status"))


def follow_twinning(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """A twinning agreement signed records the twin-city relationship; terminated, it ends it (decision 0135)."""
    data = event["data"]
    if data.get("kind") != "twinning" or not data.get("partner_id"):
        return
    try:
        if event["type"] == SIGNED:
            record_twinning(uow, str(data["id"]), str(data["partner_id"]), date.fromisoformat(data["signed_on"]),
                            str(data["title"]))
        else:
            end_twinning(uow, str(data["id"]), datetime.fromisoformat(event["time"]).date())
    except (KeyError, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event['type']}: {type(error).__name__}: {error}") from error


SIGNED = "chancery.contracts.agreement.signed.v1"
TWINNING_EVENTS = (SIGNED, "chancery.contracts.agreement.terminated.v1")


def on_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    append_to_timeline(uow, event)
    fold_event(uow, event)
    if event["type"] in PLAN_FEEDS:
        follow_source(uow, source_change(event))
    if event["type"] in TWINNING_EVENTS:
        follow_twinning(uow, event)


def on_registry_partner(uow: UnitOfWork, event: dict[str, Any]) -> None:
    update = registry_update(event, PartnerFields)
    receive_partner(uow, update.data["registry_id"], update.updated_at, update.fields)


def on_registry_contact(uow: UnitOfWork, event: dict[str, Any]) -> None:
    update = registry_update(event, ContactFields)
    receive_contact(uow, update.data["registry_id"], update.data["partner_registry_id"], update.updated_at,
                    update.fields)


SUBSCRIPTIONS = [
    *(Subscription(EVENTS, f"chancery.{service}.#", on_event) for service in ("visits", "trips", "contracts")),
    Subscription(INBOUND, INBOUND_PARTNER, on_registry_partner),
    Subscription(INBOUND, INBOUND_CONTACT, on_registry_contact),
]
