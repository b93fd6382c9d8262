"""The report after a visit: its outcome, the agreements reached and the follow-ups agreed, each with its owner
(and the owner's department where known) and due date (docs/decisions/0155)."""

from __future__ import annotations

from enum import StrEnum

from services.visits.domain.visit import VISIT_LIFECYCLE, VisitStatus
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Conflict


class VisitReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # its follow-ups are in outreach's consolidated plan


# A report is written once the visit has begun: what it achieved is known while it runs and after.
REPORTABLE_VISIT_STATES = (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)
VISIT_REPORT_LIFECYCLE = Lifecycle(
    record="visit report", status_type=VisitReportStatus,
    transitions={"submit": ((VisitReportStatus.DRAFT,), VisitReportStatus.SUBMITTED),
                 "revise": ((VisitReportStatus.SUBMITTED,), VisitReportStatus.DRAFT)},
    event_action={"submit": "submitted", "revise": "revised"})


class VisitNotReportable(Conflict):
    def __init__(self, status: VisitStatus):
        super().__init__(f"a report is written once the visit has begun; this visit is {status.value}",
                         slug="illegal-transition", allowed_actions=VISIT_LIFECYCLE.allowed_actions(status))


class ReportExists(Conflict):
    def __init__(self) -> None:
        super().__init__("this visit has a report; change it with PATCH", slug="duplicate")


class ReportNotEditable(Conflict):
    def __init__(self, status: VisitReportStatus):
        super().__init__(f"a {status.value} report cannot change; revise it first", slug="illegal-transition",
                         allowed_actions=VISIT_REPORT_LIFECYCLE.allowed_actions(status))


def check_reportable(status: VisitStatus) -> None:
    if status not in REPORTABLE_VISIT_STATES:
        raise VisitNotReportable(status)


def check_editable(status: VisitReportStatus) -> None:
    if status != VisitReportStatus.DRAFT:
        raise ReportNotEditable(status)
