"""Procurement plan lines: what the office means to buy, for how much, how and when; and their lifecycle.

draft → approved → tendered, or cancelled (with a reason) while not yet tendered. A line is edited only
while it is a draft: once approved, its budget is what was approved.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid


class ProcurementMethod(StrEnum):
    OPEN = "open"
    SELECTIVE = "selective"
    LIMITED = "limited"
    DIRECT = "direct"
    REQUEST_FOR_QUOTATIONS = "request_for_quotations"
    REVERSE_AUCTION = "reverse_auction"


# The OCDS 1.1.5 procurementMethod codelist has four codes; the finer method goes to procurementMethodDetails.
OCDS_PROCUREMENT_METHOD = {
    ProcurementMethod.OPEN: "open",
    ProcurementMethod.SELECTIVE: "selective",
    ProcurementMethod.LIMITED: "limited",
    ProcurementMethod.DIRECT: "direct",
    ProcurementMethod.REQUEST_FOR_QUOTATIONS: "limited",
    ProcurementMethod.REVERSE_AUCTION: "open",
}


class PlanLineStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    TENDERED = "tendered"
    CANCELLED = "cancelled"


S = PlanLineStatus
PLAN_LINE_LIFECYCLE = Lifecycle(
    record="plan line",
    status_type=PlanLineStatus,
    transitions={
        "approve": ((S.DRAFT,), S.APPROVED),
        "tender": ((S.APPROVED,), S.TENDERED),
        "cancel": ((S.DRAFT, S.APPROVED), S.CANCELLED),
    },
    event_action={"approve": "approved", "tender": "tendered", "cancel": "cancelled"},
    reason_required=frozenset({"cancel"}),
)
EDITABLE = (S.DRAFT,)


class InvalidPlannedDates(Invalid):
    def __init__(self) -> None:
        super().__init__("planned_delivery_by", "the delivery cannot be planned before the tender")


def check_planned_dates(tender_on: date, delivery_by: date) -> None:
    if delivery_by < tender_on:
        raise InvalidPlannedDates()
