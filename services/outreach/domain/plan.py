"""The consolidated annual plan of international relations: items, their lifecycle, their sources, monitoring."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.kit.departments import department_key
from shared.kit.lifecycle import Lifecycle
from shared.kit.money import format_amount
from shared.kit.refusals import Conflict


class ItemStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Source(StrEnum):
    MANUAL = "manual"
    AGREEMENT = "agreement"
    TRIP_REPORT = "trip_report"
    VISIT = "visit"
    AGREEMENT_RENEWAL = "agreement_renewal"  # the task of renewing an agreement nearing its end (decision 0135)
    VISIT_REPORT = "visit_report"  # the follow-ups of the report after a visit (decision 0155)
    MEETING_FOLLOW_UP = "meeting_follow_up"  # a follow-up agreed at a meeting with foreign guests (decision 0155)
    TRIP = "trip"  # an approved trip (decision 0155)


# The service each source lives in, where a plan item links back to (decision 0155).
SOURCE_SERVICE = {Source.AGREEMENT: "contracts", Source.AGREEMENT_RENEWAL: "contracts", Source.TRIP_REPORT: "trips",
                  Source.TRIP: "trips", Source.VISIT: "visits", Source.VISIT_REPORT: "visits",
                  Source.MEETING_FOLLOW_UP: "visits"}


OPEN = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[ItemStatus, ...], ItemStatus]] = {
    "start": ((ItemStatus.PLANNED,), ItemStatus.IN_PROGRESS),
    "complete": (OPEN, ItemStatus.DONE),
    "cancel": (OPEN, ItemStatus.CANCELLED),
    "reopen": ((ItemStatus.DONE,), ItemStatus.IN_PROGRESS),
    "restore": ((ItemStatus.CANCELLED,), ItemStatus.PLANNED),
}
ITEM_LIFECYCLE = Lifecycle("plan item", ItemStatus, TRANSITIONS, event_action={
    "start": "started", "complete": "completed", "cancel": "cancelled", "reopen": "reopened", "restore": "restored"},
    reason_required=frozenset({"cancel"}))


class ProgressNotAllowed(Conflict):
    def __init__(self, status: ItemStatus):
        super().__init__(f"progress is reported on items in progress, not on {status.value} ones",
                         slug="illegal-transition",
                         allowed_actions=ITEM_LIFECYCLE.allowed_actions(status))


def budget_cents(amount: Decimal | None) -> int | None:
    """A plan item's budget as the whole cents it is kept in."""
    return None if amount is None else int(amount * 100)


def budget_amount(cents: int | None) -> str | None:
    """A plan item's budget as an exact decimal string, e.g. '1250.00'."""
    return None if cents is None else format_amount(Decimal(cents) / 100)


def progress_after(status: ItemStatus, progress: int) -> int:
    """The progress an item shows in a state: done is 100, planned is 0, otherwise what was reported."""
    return {ItemStatus.DONE: 100, ItemStatus.PLANNED: 0}.get(status, progress)


def check_progress(status: ItemStatus) -> None:
    if status != ItemStatus.IN_PROGRESS:
        raise ProgressNotAllowed(status)


def is_overdue(status: ItemStatus, due_on: date, today: date) -> bool:
    return status in OPEN and due_on < today


# --- items that come from another service's record (an agreement's activities, a trip report's follow-ups) ---

@dataclass(frozen=True)
class SourcedActivity:
    """One activity as its source describes it now."""

    source_item_id: str
    activity: str
    due_on: date
    responsible_body: str
    partner_id: str | None = None
    starts_on: date | None = None

    @property
    def details(self) -> tuple:
        return self.activity, self.due_on, self.responsible_body, self.partner_id, self.starts_on


@dataclass(frozen=True)
class CurrentItem:
    """What the plan holds for one activity of a source."""

    source_item_id: str
    details: tuple  # as SourcedActivity.details
    status: ItemStatus
    withdrawn_by_source: bool


class MalformedSource(ValueError):
    pass


def activities_of(data: dict, list_field: str, starts_on: date | None) -> list[SourcedActivity]:
    """The activities (or follow-ups) a source record lists, as plan items need them."""
    entries = data.get(list_field)
    if not isinstance(entries, list):
        raise MalformedSource(f"{list_field} is not a list")
    partner_id = data.get("partner_id") or None
    activities = []
    for position, entry in enumerate(entries):
        try:
            due_on = date.fromisoformat(entry["due_on"])
            activity = SourcedActivity(
                source_item_id=str(entry["id"])[:100], activity=str(entry["title"]).strip()[:300], due_on=due_on,
                responsible_body=str(entry["responsible_body"]).strip()[:200], partner_id=partner_id,
                starts_on=starts_on if starts_on is not None and starts_on <= due_on else None)
        except (KeyError, TypeError, ValueError) as error:
            raise MalformedSource(f"{list_field}[{position}]: {type(error).__name__}: {error}") from error
        if not activity.activity or not activity.responsible_body:
            raise MalformedSource(f"{list_field}[{position}] has an empty title or responsible body")
        activities.append(activity)
    return activities


# A visit or a trip is one item of its own, keyed by the record's kind.
VISIT_ITEM = "visit"
VISIT_IN_PLAN = ("confirmed", "in_progress", "completed")
TRIP_ITEM = "trip"
TRIP_IN_PLAN = ("approved", "closed")
MEETING_FOLLOW_UP_ITEM = "follow-up"
# how far a source's own lifecycle carries its item: started -> in progress, completed (or done) -> done
CARRIED = {Source.VISIT: {"in_progress": ItemStatus.IN_PROGRESS, "completed": ItemStatus.DONE},
           Source.TRIP: {"closed": ItemStatus.DONE},
           Source.MEETING_FOLLOW_UP: {"done": ItemStatus.DONE}}


NO_START = object()  # a record whose item has no start (a follow-up), unlike one whose start is missing


def one_activity(key: str, activity: object, starts_on: object, due_on: object, body: object,
                 partner_id: object) -> SourcedActivity:
    """The single item a record stands for; MalformedSource when its fields are missing or empty."""
    try:
        ends = date.fromisoformat(str(due_on))
        begins = date.fromisoformat(str(starts_on)) if starts_on is not NO_START else None
        item = SourcedActivity(source_item_id=key, activity=str(activity).strip()[:300], due_on=ends,
                               responsible_body=str(body).strip()[:200], partner_id=str(partner_id or "") or None,
                               starts_on=begins if begins is not None and begins <= ends else None)
    except (TypeError, ValueError) as error:
        raise MalformedSource(f"{key}: {type(error).__name__}: {error}") from error
    if not item.activity or not item.responsible_body or activity is None or body is None:
        raise MalformedSource(f"{key} has an empty activity or responsible body")
    return item


def visit_activities(data: dict) -> list[SourcedActivity]:
    """The plan item a visit stands for: one once it is confirmed, none before (or when it was cancelled); the
    delegation's name is the activity, its host official the responsible body."""
    if data.get("status") not in VISIT_IN_PLAN:
        return []
    return [one_activity(VISIT_ITEM, data.get("delegation_name"), data.get("starts_on"), data.get("ends_on"),
                         data.get("host_official"), data.get("partner_id"))]


def trip_activities(data: dict) -> list[SourcedActivity]:
    """The plan item an approved trip stands for: its title, its department as the responsible body, its dates."""
    if data.get("status") not in TRIP_IN_PLAN:
        return []
    return [one_activity(TRIP_ITEM, data.get("title"), data.get("starts_on"), data.get("ends_on"),
                         data.get("department"), data.get("partner_id"))]


def meeting_follow_up_activities(data: dict) -> list[SourcedActivity]:
    """The plan item a follow-up agreed at a meeting stands for."""
    follow_up = data.get("follow_up")
    if not isinstance(follow_up, dict):
        raise MalformedSource("follow_up is not an object")
    return [one_activity(MEETING_FOLLOW_UP_ITEM, follow_up.get("title"), NO_START, follow_up.get("due_on"),
                         follow_up.get("responsible_body"), data.get("partner_id"))]


def visit_report_activities(data: dict) -> list[SourcedActivity]:
    """The follow-ups of a visit report: each owner's department is its responsible body, the owner where the
    department is not known."""
    entries = data.get("follow_ups")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise MalformedSource("follow_ups is not a list of objects")
    follow_ups = [{**entry, "responsible_body": entry.get("department") or entry.get("owner")} for entry in entries]
    return activities_of({**data, "follow_ups": follow_ups}, "follow_ups", None)


# An agreement nearing its end is outreach's to renew: one task per validity end, due on it.
RENEWAL_BODY = "outreach"


def renewal_activities(data: dict) -> list[SourcedActivity]:
    """The renewal task an expiring agreement opens, keyed by its validity end: an agreement extended and nearing
    its new end opens a new one (and withdraws the old one, if still open)."""
    try:
        valid_until = date.fromisoformat(data["valid_until"])
        activity = SourcedActivity(
            source_item_id=f"renewal-{valid_until.isoformat()}", activity=f"Renew: {data['title']}".strip()[:300],
            due_on=valid_until, responsible_body=RENEWAL_BODY, partner_id=data.get("partner_id") or None)
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedSource(f"agreement: {type(error).__name__}: {error}") from error
    return [activity]


def carried_by_source(source: Source, status: ItemStatus, source_status: str | None) -> ItemStatus | None:
    """The state a source's progress moves its open item to (planned -> in progress -> done), never backwards."""
    target = CARRIED.get(source, {}).get(source_status or "")
    if target is None or status not in OPEN or status == target:
        return None
    if target == ItemStatus.IN_PROGRESS and status != ItemStatus.PLANNED:
        return None
    return target


@dataclass
class SourceChanges:
    create: list[SourcedActivity] = field(default_factory=list)
    update: list[SourcedActivity] = field(default_factory=list)  # details changed
    restore: list[SourcedActivity] = field(default_factory=list)  # withdrawn earlier, back in the source now
    withdraw: list[str] = field(default_factory=list)  # source_item_ids no longer in the source

    def __bool__(self) -> bool:
        return bool(self.create or self.update or self.restore or self.withdraw)


def reconcile(current: list[CurrentItem], incoming: list[SourcedActivity], source_ended: bool) -> SourceChanges:
    """What the plan must do to be in step with its source again.

    Activities the source lists and the plan lacks are created; changed ones are updated (their status and
    progress stay staff's); ones the source dropped, or all when it ended, are withdrawn (cancelled) unless
    already done or cancelled; an activity the source withdrew and lists again is restored. Items staff
    cancelled themselves stay cancelled.
    """
    changes = SourceChanges()
    wanted = {} if source_ended else {activity.source_item_id: activity for activity in incoming}
    held = {item.source_item_id: item for item in current}
    for key, activity in wanted.items():
        item = held.get(key)
        if item is None:
            changes.create.append(activity)
            continue
        if item.details != activity.details:
            changes.update.append(activity)
        if item.status == ItemStatus.CANCELLED and item.withdrawn_by_source:
            changes.restore.append(activity)
    changes.withdraw = [key for key, item in held.items() if key not in wanted and item.status in OPEN]
    return changes


# --- monitoring ---

@dataclass(frozen=True)
class ItemFacts:
    id: str
    activity: str
    status: ItemStatus
    due_on: date
    progress: int
    responsible_body: str
    partner_id: str | None


@dataclass
class Tally:
    total: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    progress_sum: int = 0

    def add(self, item: ItemFacts, today: date) -> None:
        self.total += 1
        self.done += item.status == ItemStatus.DONE
        self.cancelled += item.status == ItemStatus.CANCELLED
        self.overdue += is_overdue(item.status, item.due_on, today)
        self.progress_sum += 0 if item.status == ItemStatus.CANCELLED else item.progress

    def summary(self) -> dict:
        """Completion counts done items among those not cancelled; progress averages them likewise."""
        active = self.total - self.cancelled
        return {"total": self.total, "done": self.done, "cancelled": self.cancelled, "overdue": self.overdue,
                "completion": round(self.done / active, 4) if active else None,
                "average_progress": round(self.progress_sum / active, 1) if active else None}


def monitor(items: list[ItemFacts], today: date) -> dict:
    """The state of a plan on `today`: by status, overdue items, completion overall, by department (responsible
    body, however its name is cased or spaced: decision 0136) and by partner."""
    overall = Tally()
    by_body: defaultdict[str, Tally] = defaultdict(Tally)
    body_names: dict[str, str] = {}
    by_partner: defaultdict[str | None, Tally] = defaultdict(Tally)
    by_status = {status.value: 0 for status in ItemStatus}
    for item in items:
        overall.add(item, today)
        key = department_key(item.responsible_body)
        body_names.setdefault(key, item.responsible_body)
        by_body[key].add(item, today)
        by_partner[item.partner_id].add(item, today)
        by_status[item.status.value] += 1
    overdue = sorted((item for item in items if is_overdue(item.status, item.due_on, today)),
                     key=lambda item: (item.due_on, item.id))
    return {
        "as_of": today.isoformat(),
        **overall.summary(),
        "by_status": by_status,
        "overdue_items": [{"id": item.id, "activity": item.activity, "due_on": item.due_on.isoformat(),
                           "days_overdue": (today - item.due_on).days, "responsible_body": item.responsible_body}
                          for item in overdue],
        "by_responsible_body": [{"responsible_body": body_names[key], **tally.summary()}
                                for key, tally in sorted(by_body.items())],
        "by_partner": [{"partner_id": partner, **tally.summary()}
                       for partner, tally in sorted(by_partner.items(), key=lambda pair: pair[0] or "")],
    }


# --- plan versions, decided by the mayor's office ---

class VersionStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


VERSION_LIFECYCLE = Lifecycle("plan version", VersionStatus, {
    "approve": ((VersionStatus.SUBMITTED,), VersionStatus.APPROVED),
    "reject": ((VersionStatus.SUBMITTED,), VersionStatus.REJECTED),
}, event_action={"approve": "approved", "reject": "rejected"}, reason_required=frozenset({"reject"}))


class VersionPending(Conflict):
    def __init__(self, number: int):
        super().__init__(f"version {number} of this plan awaits the mayor's office; it must be decided first",
                         slug="illegal-transition", allowed_actions=[],
                         pending_version=number)
        self.number = number


def check_can_submit(pending_number: int | None) -> None:
    """One version at a time awaits a decision."""
    if pending_number is not None:
        raise VersionPending(pending_number)
