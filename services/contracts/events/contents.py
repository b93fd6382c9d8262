"""Each event's data, built from the record it is about: one function per record type (docs/architecture.md).

What a record does not hold itself (its money as a value, what depends on the day or the settings, the parent's
currency) is computed here and handed to `CATALOG.contents`; everything else is read from the record by the
names its JSON Schema lists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from services.contracts.domain.auction import Rounds
from services.contracts.domain.commitment import CommitmentStatus, is_due_soon
from services.contracts.domain.commitment import is_overdue as commitment_overdue
from services.contracts.domain.contract import MilestoneStatus
from services.contracts.domain.contract import is_overdue as milestone_overdue
from services.contracts.domain.supplier import is_foreign
from services.contracts.events import CATALOG
from services.contracts.store.models import (
    Agreement,
    AgreementDocument,
    Auction,
    AuctionBid,
    AuctionParticipant,
    Award,
    Bid,
    Commitment,
    Contract,
    Enquiry,
    Milestone,
    Payment,
    PlanLine,
    Supplier,
    Tender,
    TenderDocument,
)
from shared.kit.money import format_amount


def value(amount: Decimal | None, currency: str | None) -> dict[str, str] | None:
    """Money as events and responses show it: the exact amount with two places, and its currency."""
    return None if amount is None else {"amount": format_amount(amount), "currency": str(currency)}


def plan_line(record: PlanLine) -> dict[str, Any]:
    return CATALOG.contents("plan-line", record, budget=value(record.budget_amount, record.currency))


def supplier(record: Supplier, home_country: str) -> dict[str, Any]:
    """No contact people: the event names the organisation only."""
    return CATALOG.contents("supplier", record, foreign=is_foreign(record.country, home_country),
                            identifier={"scheme": record.identifier_scheme, "id": record.identifier_id})


def tender(record: Tender) -> dict[str, Any]:
    return CATALOG.contents(
        "tender", record, value=value(record.value_amount, record.currency),
        minimum_step=value(record.minimum_step_amount, record.currency),
        lots=[{"id": lot.id, "title": lot.title, "value": value(lot.value_amount, record.currency)}
              for lot in record.lots])


def tender_document(record: TenderDocument) -> dict[str, Any]:
    return CATALOG.contents("tender-document", record)


def enquiry(record: Enquiry) -> dict[str, Any]:
    return CATALOG.contents("enquiry", record)


def bid(record: Bid) -> dict[str, Any]:
    """Never the value: it is sealed whenever a bid changes."""
    return CATALOG.contents("bid", record)


def ranking(auction_record: Auction) -> list[AuctionParticipant]:
    """The leader first (it reached the best price first), then the others by price."""
    return sorted(auction_record.participants,
                  key=lambda p: (p.id != auction_record.leader_id, p.last_amount, p.label))


def auction_result(record: Auction) -> list[dict[str, Any]] | None:
    if record.finished_at is None:
        return None
    return [{"rank": rank, "label": p.label, "supplier_id": p.supplier_id,
             "price": value(p.last_amount, record.currency)} for rank, p in enumerate(ranking(record), start=1)]


def leader_label(record: Auction) -> str | None:
    return next((p.label for p in record.participants if p.id == record.leader_id), None)


def auction(record: Auction) -> dict[str, Any]:
    return CATALOG.contents(
        "auction", record, ends_at=Rounds(record.starts_at, record.round_seconds, record.rounds).ends_at,
        minimum_step=value(record.minimum_step_amount, record.currency),
        participants=[{"label": p.label, "price": value(p.last_amount, record.currency)}
                      for p in record.participants],
        best=value(record.best_amount, record.currency), leader_label=leader_label(record),
        result=auction_result(record))


def auction_bid(record: AuctionBid, auction_record: Auction) -> dict[str, Any]:
    labels = {p.id: p.label for p in auction_record.participants}
    return CATALOG.contents("auction-bid", record, label=labels[record.participant_id],
                            price=value(record.amount, auction_record.currency),
                            leader_label=labels[auction_record.leader_id],
                            best=value(auction_record.best_amount, auction_record.currency))


def award(record: Award) -> dict[str, Any]:
    return CATALOG.contents("award", record, value=value(record.amount, record.currency),
                            ranking=record.evaluation["ranked"], disqualified=record.evaluation["disqualified"])


def contract(record: Contract) -> dict[str, Any]:
    return CATALOG.contents("contract", record, value=value(record.amount, record.currency))


def contract_milestone(record: Milestone, currency: str, today: date) -> dict[str, Any]:
    return CATALOG.contents("contract-milestone", record, type=record.milestone_type,
                            value=value(record.amount, currency),
                            overdue=milestone_overdue(MilestoneStatus(record.status), record.due_on, today))


def contract_payment(record: Payment) -> dict[str, Any]:
    return CATALOG.contents("contract-payment", record, value=value(record.amount, record.currency))


def agreement(record: Agreement) -> dict[str, Any]:
    """The data agreed with outreach (contracts-between.md), and the agreement's state besides."""
    return CATALOG.contents("agreement", record, activities=[
        {"id": a.id, "title": a.title, "due_on": a.due_on, "responsible_body": a.responsible_body}
        for a in record.activities])


def agreement_document(record: AgreementDocument, agreement_record: Agreement) -> dict[str, Any]:
    return CATALOG.contents("agreement-document", record, partner_id=agreement_record.partner_id,
                            country=agreement_record.country)


def commitment(record: Commitment, today: date, notice_days: int) -> dict[str, Any]:
    status = CommitmentStatus(record.status)
    return CATALOG.contents("commitment", record, value=value(record.amount, record.currency),
                            due_soon=is_due_soon(status, record.due_on, today, notice_days),
                            overdue=commitment_overdue(status, record.due_on, today))
