"""The report after a trip: outcomes, agreements reached, follow-up actions and press coverage
(docs/decisions/0024)."""

from __future__ import annotations

from enum import StrEnum

from services.trips.domain.trip import TRIP_LIFECYCLE, TripStatus
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


# A report is written once the trip has taken place: it was approved, and perhaps closed since.
REPORTABLE_TRIP_STATES = (TripStatus.APPROVED, TripStatus.CLOSED)
REPORT_LIFECYCLE = Lifecycle(
    record="report", status_type=ReportStatus,
    transitions={"submit": ((ReportStatus.DRAFT,), ReportStatus.SUBMITTED),
                 "revise": ((ReportStatus.SUBMITTED,), ReportStatus.DRAFT)},
    event_action={"submit": "submitted", "revise": "revised"})


class TripNotReportable(Conflict):
    def __init__(self, status: TripStatus):
        super().__init__(f"a report is written after the trip; this trip is {status.value}",
                         slug="illegal-transition",
                         allowed_actions=TRIP_LIFECYCLE.allowed_actions(status))


class AlreadyWritten(Conflict):
    def __init__(self) -> None:
        super().__init__("This trip has a report; change it with PATCH", slug="duplicate")


class NotEditable(Conflict):
    def __init__(self, status: ReportStatus):
        super().__init__(f"a {status.value} report cannot change; revise it first", slug="illegal-transition",
                         allowed_actions=REPORT_LIFECYCLE.allowed_actions(status))


def check_reportable(status: TripStatus) -> None:
    if status not in REPORTABLE_TRIP_STATES:
        raise TripNotReportable(status)


def check_editable(status: ReportStatus) -> None:
    if status != ReportStatus.DRAFT:
        raise NotEditable(status)
