"""Sealed bids: submitted while the tender is active and before its deadline, withdrawn before it too.

Neither the event nor the audit record ever carries a bid's value: it is sealed whenever a bid changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.domain.tender import TenderProblem, TenderStatus, check_bid_accepted
from services.contracts.events import contents
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Bid, Lot, Supplier, Tender
from shared.db import find
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork


class BidNotTaken(Conflict):
    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail, slug="bid-refused", **extensions)


def record_bid_change(uow: UnitOfWork, bid: Bid, action: str, changes: dict[str, Any]) -> None:
    uow.record_change("bid", action, bid, contents.bid, changes)


def check_accepted(tender: Tender, uow: UnitOfWork) -> None:
    """Bids are taken, and withdrawn, only on an active tender before its deadline."""
    try:
        check_bid_accepted(TenderStatus(tender.status), tender.submission_deadline, uow.now())
    except TenderProblem as error:
        raise BidNotTaken(error.message, reason=error.message,
                          errors=[{"field": error.field, "message": error.message}]) from error


def lot_of(session: Session, tender: Tender, lot_id: str | None) -> Lot:
    """The lot named, or the tender's only lot when none is."""
    if lot_id is None:
        if len(tender.lots) != 1:
            raise Invalid("lot_id", "the tender has several lots: name the one the bid is for")
        return tender.lots[0]
    lot = session.get(Lot, lot_id)
    if lot is None or lot.tender_id != tender.id:
        raise Invalid("lot_id", "no such lot in this tender")
    return lot


def find_bid(session: Session, tender_id: str, bid_id: str, *, for_update: bool = False) -> tuple[Bid, Tender]:
    tender = find_tender(session, tender_id)
    return find(session, Bid, bid_id, "bid", for_update=for_update, tender_id=tender.id), tender


def submit_bid(uow: UnitOfWork, tender_id: str, supplier_id: str, lot_id: str | None,
               value: dict[str, Any]) -> tuple[Bid, Tender]:
    """One sealed bid per supplier and lot, in the tender's currency."""
    tender = find_tender(uow.session, tender_id)
    find(uow.session, Supplier, supplier_id, "supplier")
    check_accepted(tender, uow)
    lot = lot_of(uow.session, tender, lot_id)
    if value["currency"] != tender.currency:
        raise Invalid("value.currency", f"bids on this tender are in {tender.currency}")
    if uow.session.scalar(select(Bid.id).where(Bid.lot_id == lot.id, Bid.supplier_id == supplier_id)):
        raise BidNotTaken("this supplier has already bid for this lot", reason="one bid per supplier and lot")
    bid = Bid(tender_id=tender.id, lot_id=lot.id, supplier_id=supplier_id, amount=value["amount"],
              currency=value["currency"], status="pending", submitted_at=uow.now(), version=1, created_by=uow.actor)
    uow.session.add(bid)
    record_bid_change(uow, bid, "submitted", {"lot_id": lot.id, "supplier_id": supplier_id, "value": "sealed"})
    return bid, tender


def withdraw_bid(uow: UnitOfWork, tender_id: str, bid_id: str,
                 expected_version: frozenset[int] | None) -> tuple[Bid, Tender]:
    bid, tender = find_bid(uow.session, tender_id, bid_id, for_update=True)
    require_version(bid.version, expected_version)
    if bid.status != "pending":
        raise BidNotTaken(f"the bid is {bid.status}", allowed_actions=[])
    check_accepted(tender, uow)
    bid.status, bid.withdrawn_at, bid.version = "withdrawn", uow.now(), bid.version + 1
    record_bid_change(uow, bid, "withdrawn", {"status": ["pending", "withdrawn"]})
    return bid, tender
