"""The tender, enquiry and sealed bid use cases on an in-memory unit of work."""

from datetime import UTC, datetime

import pytest

from services.contracts.domain.refusals import NotInThisState
from services.contracts.operations import bids, tenders
from services.contracts.operations.bids import BidNotTaken
from services.contracts.tests.procurement_story import (
    DEADLINE,
    TENDER,
    approved_plan_line,
    eur,
    published_tender,
    supplier,
)
from shared.kit.refusals import Invalid


def test_a_tender_marks_its_plan_line_tendered_and_gets_one_lot_and_an_ocid_with_the_prefix(uow):
    line = approved_plan_line(uow)
    tender = tenders.create_tender(uow, {**TENDER, "plan_line_id": line.id}, {})
    assert uow.event_types()[-2:] == ["chancery.contracts.plan-line.tendered.v1",
                                      "chancery.contracts.tender.created.v1"]
    assert line.status == "tendered" and tender.ocid.startswith("ocds-chncry-")
    assert [lot["value"] for lot in uow.events[-1][2]["lots"]] == [{"amount": "185000.00", "currency": "EUR"}]


def test_a_tender_above_the_plan_lines_budget_is_refused_and_the_line_stays_approved(uow):
    line = approved_plan_line(uow)
    with pytest.raises(Invalid) as refused:
        tenders.create_tender(uow, {**TENDER, "plan_line_id": line.id, "value": eur("190000.00")}, {})
    assert refused.value.field == "value.amount" and line.status == "approved"


def test_publishing_after_the_enquiry_period_is_refused_naming_enquiry_ends_at(uow, clock):
    line = approved_plan_line(uow)
    tender = tenders.create_tender(uow, {**TENDER, "plan_line_id": line.id}, {})
    clock.at = datetime(2027, 2, 11, tzinfo=UTC)
    with pytest.raises(Invalid) as refused:
        tenders.move_tender(uow, tender.id, "publish", None, None)
    assert refused.value.field == "enquiry_ends_at"


def test_a_question_after_the_enquiry_period_is_refused_and_an_answer_is_published_once(uow, clock):
    tender = published_tender(uow)
    enquiry = tenders.ask_question(uow, tender.id, None, "Is parking included?", {})
    tenders.answer_question(uow, tender.id, enquiry.id, "Yes.", {}, None)
    with pytest.raises(NotInThisState):
        tenders.answer_question(uow, tender.id, enquiry.id, "No.", {}, None)
    clock.at = datetime(2027, 2, 11, tzinfo=UTC)
    with pytest.raises(NotInThisState):
        tenders.ask_question(uow, tender.id, None, "Too late?", {})
    assert uow.event_types()[-2:] == ["chancery.contracts.enquiry.asked.v1", "chancery.contracts.enquiry.answered.v1"]


def test_a_bid_is_recorded_sealed_and_a_second_one_for_the_same_lot_is_refused(uow):
    tender, company = published_tender(uow), supplier(uow, 1)
    bid, _ = bids.submit_bid(uow, tender.id, company.id, None, eur("175000.00"))
    assert "value" not in uow.events[-1][2] and uow.audits[-1][3]["value"] == "sealed"
    with pytest.raises(BidNotTaken) as refused:
        bids.submit_bid(uow, tender.id, company.id, None, eur("170000.00"))
    assert refused.value.extensions == {"reason": "one bid per supplier and lot"} and bid.amount == 175000


def test_a_bid_after_the_deadline_is_refused_naming_submitted_at_and_cannot_be_withdrawn(uow, clock):
    tender, company = published_tender(uow), supplier(uow, 1)
    bid, _ = bids.submit_bid(uow, tender.id, company.id, None, eur("175000.00"))
    clock.at = DEADLINE
    with pytest.raises(BidNotTaken) as refused:
        bids.withdraw_bid(uow, tender.id, bid.id, None)
    assert refused.value.extensions["errors"][0]["field"] == "submitted_at" and bid.status == "pending"
