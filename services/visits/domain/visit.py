"""A visit's lifecycle: draft → proposed → invited → confirmed → in progress → completed, or cancelled."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid


class VisitStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    INVITED = "invited"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_STATES = (VisitStatus.DRAFT, VisitStatus.PROPOSED, VisitStatus.INVITED, VisitStatus.CONFIRMED,
               VisitStatus.IN_PROGRESS)

# A visit the foreign side asked for can be confirmed straight from draft: the office then never proposes or
# invites (docs/decisions/0003).
VISIT_LIFECYCLE = Lifecycle(
    record="visit",
    status_type=VisitStatus,
    transitions={
        "propose": ((VisitStatus.DRAFT,), VisitStatus.PROPOSED),
        "invite": ((VisitStatus.PROPOSED,), VisitStatus.INVITED),
        "confirm": ((VisitStatus.DRAFT, VisitStatus.PROPOSED, VisitStatus.INVITED), VisitStatus.CONFIRMED),
        "start": ((VisitStatus.CONFIRMED,), VisitStatus.IN_PROGRESS),
        "complete": ((VisitStatus.IN_PROGRESS,), VisitStatus.COMPLETED),
        "cancel": (OPEN_STATES, VisitStatus.CANCELLED),
    },
    event_action={"propose": "proposed", "invite": "invited", "confirm": "confirmed", "start": "started",
                  "complete": "completed", "cancel": "cancelled"},
    reason_required=frozenset({"cancel"}),
)


class InvalidDates(Invalid):
    def __init__(self) -> None:
        super().__init__("ends_on", "the visit cannot end before it starts")


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise InvalidDates()
