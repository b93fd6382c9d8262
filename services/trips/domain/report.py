"""The report after a trip: outcomes, agreements reached, follow-up actions and press coverage
(docs/decisions/0024)."""

from __future__ import annotations

from enum import StrEnum

from services.trips.domain.trip import TripStatus


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


# A report is written once the trip has taken place: it was approved, and perhaps closed since.
REPORTABLE_TRIP_STATES = (TripStatus.APPROVED, TripStatus.CLOSED)
TRANSITIONS: dict[str, tuple[ReportStatus, ReportStatus]] = {
    "submit": (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
    "revise": (ReportStatus.SUBMITTED, ReportStatus.DRAFT),
}
EVENT_ACTION = {"submit": "submitted", "revise": "revised"}


class TripNotReportable(Exception):
    def __init__(self, status: TripStatus):
        self.status = status
        super().__init__(f"a report is written after the trip; this trip is {status.value}")


class IllegalTransition(Exception):
    def __init__(self, action: str, status: ReportStatus):
        self.status = status
        self.allowed = allowed_actions(status)
        super().__init__(f"cannot {action} a report that is {status.value}")


class NotEditable(Exception):
    def __init__(self, status: ReportStatus):
        self.status = status
        self.allowed = allowed_actions(status)
        super().__init__(f"a {status.value} report cannot change; revise it first")


def check_reportable(status: TripStatus) -> None:
    if status not in REPORTABLE_TRIP_STATES:
        raise TripNotReportable(status)


def check_editable(status: ReportStatus) -> None:
    if status != ReportStatus.DRAFT:
        raise NotEditable(status)


def allowed_actions(status: ReportStatus) -> list[str]:
    return [action for action, (source, _) in TRANSITIONS.items() if source == status]


def next_status(status: ReportStatus, action: str) -> ReportStatus:
    source, target = TRANSITIONS[action]
    if status != source:
        raise IllegalTransition(action, status)
    return target
