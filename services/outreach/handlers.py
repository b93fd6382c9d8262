"""What outreach does when other services' events arrive: each partner's timeline, the analytics, the annual
plan fed by agreements (contracts), trips and their reports (trips), visits, visit reports and meetings'
follow-ups (visits; docs/decisions/0044, 0155), the twin-city relationships signed
twinning agreements establish and the renewal tasks of agreements nearing their end (docs/decisions/0135); and with
partners and contacts sent by the city's registry (docs/decisions/0046)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from services.outreach.domain.plan import (
    MalformedSource,
    Source,
    SourcedActivity,
    activities_of,
    meeting_follow_up_activities,
    renewal_activities,
    trip_activities,
    visit_activities,
    visit_report_activities,
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
from shared.kit.withholding import is_withheld_data
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Feed:
    """How one event type describes its source's plan items: which source, its activities, whether it ended, the
    source record's id, its status (which carries its items along), and its path in its service's API."""

    source: Source
    activities: Callable[[dict], list[SourcedActivity]]
    link: Callable[[dict], str]
    ended: Callable[[dict], bool] = lambda data: False
    source_id: Callable[[dict], object] = lambda data: data.get("id")
    status: Callable[[dict], object] = lambda data: data.get("status")
    also: tuple[Feed, ...] = ()  # other sources the same event ends or moves


def listed(list_field: str) -> Callable[[dict], list[SourcedActivity]]:
    def read(data: dict) -> list[SourcedActivity]:
        starts_on = date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None
        return activities_of(data, list_field, starts_on)
    return read


def path(template: str) -> Callable[[dict], str]:
    """The source's path in its service's API, from the event's data, e.g. "/api/v1/visits/{visit_id}/report"."""
    return lambda data: template.format_map(data)


def follow_up(data: dict) -> dict:
    return data["follow_up"] if isinstance(data.get("follow_up"), dict) else {}


def follow_up_done(data: dict) -> str:
    return "done" if follow_up(data).get("done_at") else "open"


VISIT_ACTIONS = ("created", "updated", "proposed", "invited", "confirmed", "started", "completed", "cancelled",
                 "released")
TRIP_ACTIONS = ("created", "updated", "submitted", "step-approved", "approved", "sent-back", "recalled",
                "cancelled", "closed", "reopened", "released")
AGREEMENT, TRIP, VISIT = path("/api/v1/agreements/{id}"), path("/api/v1/trips/{id}"), path("/api/v1/visits/{id}")
MEETING_FOLLOW_UP = Feed(Source.MEETING_FOLLOW_UP, meeting_follow_up_activities,
                         path("/api/v1/meetings/{meeting_id}"), source_id=lambda data: follow_up(data).get("id"),
                         status=follow_up_done)
# A terminated agreement's open renewal task is withdrawn with its activities (decision 0191).
RENEWAL_ENDED = Feed(Source.AGREEMENT_RENEWAL, lambda data: [], AGREEMENT, lambda data: True)
PLAN_FEEDS = {
    "chancery.contracts.agreement.signed.v1": Feed(Source.AGREEMENT, listed("activities"), AGREEMENT),
    "chancery.contracts.agreement.amended.v1": Feed(Source.AGREEMENT, listed("activities"), AGREEMENT),
    "chancery.contracts.agreement.terminated.v1": Feed(Source.AGREEMENT, listed("activities"), AGREEMENT,
                                                       lambda data: True, also=(RENEWAL_ENDED,)),
    "chancery.contracts.agreement.expiring.v1": Feed(Source.AGREEMENT_RENEWAL, renewal_activities, AGREEMENT),
    "chancery.trips.report.submitted.v1": Feed(Source.TRIP_REPORT, listed("follow_ups"),
                                               path("/api/v1/trips/{trip_id}/report")),
    **{f"chancery.trips.trip.{action}.v1": Feed(Source.TRIP, trip_activities, TRIP,
                                                lambda data: data.get("status") == "cancelled")
       for action in TRIP_ACTIONS},
    **{f"chancery.visits.visit.{action}.v1": Feed(Source.VISIT, visit_activities, VISIT,
                                                   lambda data: data.get("status") == "cancelled")
       for action in VISIT_ACTIONS},
    "chancery.visits.visit-report.submitted.v1": Feed(Source.VISIT_REPORT, visit_report_activities,
                                                      path("/api/v1/visits/{visit_id}/report")),
    **{f"chancery.visits.meeting-follow-up.{action}.v1": MEETING_FOLLOW_UP
       for action in ("added", "updated", "completed")},
    "chancery.visits.meeting-follow-up.removed.v1": replace(MEETING_FOLLOW_UP, ended=lambda data: True),
}


def source_changes(event: dict[str, Any], feed: Feed) -> list[SourceChange]:
    """What a feeding event says about the plan items of each source it feeds."""
    return [source_change(event, each) for each in (feed, *feed.also)]


def source_change(event: dict[str, Any], feed: Feed) -> SourceChange:
    """What a feeding event says about one source's plan items, or PoisonMessage naming what is wrong."""
    data = event.get("data")
    source_id = feed.source_id(data) if isinstance(data, dict) else None
    if not source_id or not event.get("time"):
        raise PoisonMessage(f"{event['type']} without its source's id or time")
    try:
        activities, link = feed.activities(data), feed.link(data)
    except (MalformedSource, KeyError, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event['type']}: {error}") from error
    return SourceChange(feed.source, str(source_id), event["type"], datetime.fromisoformat(event["time"]),
                        activities, feed.ended(data), str(feed.status(data) or "") or None, link[:300])


def follow_twinning(uow: UnitOfWork, event: dict[str, Any], followed: str) -> None:
    """A twinning agreement signed records the twin-city relationship; terminated, it ends it (decision 0135)."""
    data = event["data"]
    if data.get("kind") != "twinning" or not data.get("partner_id"):
        return
    try:
        if followed == SIGNED:
            record_twinning(uow, str(data["id"]), str(data["partner_id"]), date.fromisoformat(data["signed_on"]),
                            str(data["title"]))
        else:
            end_twinning(uow, str(data["id"]), datetime.fromisoformat(event["time"]).date())
    except (KeyError, TypeError, ValueError) as error:
        raise PoisonMessage(f"{event['type']}: {type(error).__name__}: {error}") from error


SIGNED, TERMINATED = "chancery.contracts.agreement.signed.v1", "chancery.contracts.agreement.terminated.v1"
TWINNING_EVENTS = (SIGNED, TERMINATED)
# Outreach is not told of a withheld agreement; once released, the agreement's newest state is followed as the event
# that state stands for: signed (its plan items, the twin-city relationship) or terminated (decision 0190).
RELEASED_AGREEMENT = "chancery.contracts.agreement.released.v1"
RELEASED_AS = {"signed": SIGNED, "terminated": TERMINATED}


def followed_as(event: dict[str, Any]) -> str:
    """The event type outreach follows `event` as: its own, or the one a released agreement's status stands for."""
    if event["type"] != RELEASED_AGREEMENT or not isinstance(event.get("data"), dict):
        return event["type"]
    return RELEASED_AS.get(event["data"].get("status"), event["type"])


def on_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    if is_withheld_data(event.get("data")):
        return  # outreach binds no withheld events; one arriving all the same (replayed, late) is not its to know
    append_to_timeline(uow, event)
    fold_event(uow, event)
    followed = followed_as(event)
    if followed in PLAN_FEEDS:
        for change in source_changes(event, PLAN_FEEDS[followed]):
            follow_source(uow, change)
    if followed in TWINNING_EVENTS:
        follow_twinning(uow, event, followed)


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
