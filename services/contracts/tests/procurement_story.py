"""A whole contracting process told through the operations on an in-memory unit of work, on a clock moved by
hand (the `uow` and `clock` fixtures): what the operations' unit tests and the event contents test start from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from services.contracts.domain.contract import Party
from services.contracts.operations import (
    agreements,
    auctions,
    awards,
    bids,
    commitments,
    contracts,
    plan_lines,
    suppliers,
    tenders,
)
from services.contracts.tests.conftest import FrozenClock

DEADLINE = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)
PLAN_LINE = {"title": "Venue and interpretation for the Forum of Twin Cities 2027", "description": None,
             "budget": {"amount": Decimal("185000.00"), "currency": "EUR"}, "cpv_code": "79950000-8",
             "procurement_method": "reverse_auction", "planned_tender_on": date(2027, 2, 1),
             "planned_delivery_by": date(2027, 6, 15), "programme": "Forum of Twin Cities 2027"}
TENDER = {"title": "Venue and services for the Forum of Twin Cities 2027", "description": None,
          "main_procurement_category": "services", "award_criteria": "priceOnly", "criteria": None,
          "value": {"amount": Decimal("185000.00"), "currency": "EUR"},
          "minimum_step": {"amount": Decimal("500.00"), "currency": "EUR"},
          "enquiry_ends_at": datetime(2027, 2, 10, 15, 0, tzinfo=UTC), "submission_deadline": DEADLINE, "lots": []}
AGREEMENT = {"title": "Agreement on twinning and cooperation between Sofia and Lyon", "partner_id": None,
             "partner_name": "City of Lyon", "partner_kind": "city", "country": "FR", "areas": ["culture"],
             "valid_from": date(2027, 4, 1), "valid_until": date(2031, 3, 31)}
ACTIVITY = {"id": None, "title": "Festival of Lyon in Sofia", "due_on": date(2027, 9, 15),
            "responsible_body": "Culture directorate"}
COMMITMENT = {"obligation": "Connect the plant to the municipal grid", "counterparty_name": "Acme Investments",
              "counterparty_kind": "investor", "country": "DE", "partner_id": None, "agreement_id": None,
              "responsible_body": "Investment directorate", "due_on": date(2027, 6, 30)}
EUR = "EUR"


def eur(amount: str) -> dict:
    return {"amount": Decimal(amount), "currency": EUR}


def approved_plan_line(uow):
    line = plan_lines.create_plan_line(uow, PLAN_LINE, {})
    return plan_lines.move_plan_line(uow, line.id, "approve", None, None)


def supplier(uow, number: int, country: str = "DE"):
    fields = {"legal_name": f"Company {number}", "country": country}
    return suppliers.register_supplier(uow, fields, f"{country}-CR", f"HRB {number}", {})


def published_tender(uow):
    line = approved_plan_line(uow)
    tender = tenders.create_tender(uow, {**TENDER, "plan_line_id": line.id}, {})
    return tenders.move_tender(uow, tender.id, "publish", None, None)


def tender_with_bids(uow, clock: FrozenClock, *amounts: str):
    """A published tender with one sealed bid per amount, each from a supplier of its own; the deadline passed."""
    tender = published_tender(uow)
    companies = [supplier(uow, number) for number, _ in enumerate(amounts, start=1)]
    for company, amount in zip(companies, amounts, strict=True):
        bids.submit_bid(uow, tender.id, company.id, None, eur(amount))
    clock.at = DEADLINE
    return tender, companies


def finished_auction(uow, clock: FrozenClock):
    """Two bidders; the second undercuts the first in round 1; the auction is over and finished."""
    tender, companies = tender_with_bids(uow, clock, "175000.00", "180000.00")
    auction = auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {})
    auctions.place_auction_bid(uow, auction.id, companies[1].id, eur("174000.00"))
    clock.advance(seconds=900)
    return tender, companies, auctions.finish_auction(uow, auction.id, None)


def active_award(uow, clock: FrozenClock):
    tender, companies, _ = finished_auction(uow, clock)
    award = awards.evaluate(uow, tender.id, None, {}, {}, 10, {})
    clock.advance(days=11)
    return awards.move_award(uow, award.id, "activate", None, None)


def active_contract(uow, clock: FrozenClock):
    award = active_award(uow, clock)
    contract = contracts.create_contract(uow, award.id, {
        "title": "Venue for the Forum", "period_start": date(2027, 3, 1), "period_end": date(2027, 6, 30),
        "buyer_signatory": "Mayor", "supplier_signatory": "Director"}, {})
    for party in Party:
        contracts.sign_contract(uow, contract.id, party, date(2027, 3, 1), {}, None)
    return contract


def cleared_agreement(uow):
    """Drafted, submitted, approved by the mayor's office and cleared with the foreign ministry (decision 0135)."""
    agreement = agreements.draft_agreement(uow, AGREEMENT, [ACTIVITY], {})
    for action in ("submit", "approve"):
        agreements.move_agreement(uow, agreement.id, action, None, None)
    return agreements.clear_agreement(uow, agreement.id, uow.now().date(), "MFA 12-04/1187", {}, None)


def signed_agreement(uow):
    agreement = cleared_agreement(uow)
    return agreements.sign_agreement(uow, agreement.id, date(2027, 3, 15), "The mayors", {}, None)


def open_commitment(uow):
    return commitments.register_commitment(uow, COMMITMENT, eur("1000000.00"), {})

