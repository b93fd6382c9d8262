"""The contracts database: its domain tables and the plumbing tables every service keeps."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.contracts.store.types import Amount
from shared.db import PlumbingTables, UTCDateTime, Versioned, Withholdable, list_index
from shared.kit.ids import new_id


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


class PlanLine(Versioned, Base):
    __tablename__ = "plan_lines"
    __table_args__ = tuple(list_index("plan_lines", field, "planned_tender_on")
                           for field in ("planned_delivery_by", "budget_amount", "title", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    budget_amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    cpv_code: Mapped[str] = mapped_column(String(10), index=True)
    procurement_method: Mapped[str] = mapped_column(String(30), index=True)
    planned_tender_on: Mapped[date] = mapped_column(Date, index=True)
    planned_delivery_by: Mapped[date] = mapped_column(Date)
    programme: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    status_reason: Mapped[str | None] = mapped_column(Text)


class Supplier(Versioned, Base):
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("identifier_scheme", "identifier_id"),
                      list_index("suppliers", "created_at", "legal_name"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    legal_name: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    identifier_scheme: Mapped[str] = mapped_column(String(20))
    identifier_id: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(50))


class Tender(Versioned, Base):
    __tablename__ = "tenders"
    __table_args__ = (list_index("tenders", "created_at", "-submission_deadline"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    ocid: Mapped[str] = mapped_column(String(100), unique=True)
    plan_line_id: Mapped[str] = mapped_column(ForeignKey("plan_lines.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    procurement_method: Mapped[str] = mapped_column(String(30), index=True)
    main_procurement_category: Mapped[str] = mapped_column(String(20))
    award_criteria: Mapped[str] = mapped_column(String(20))
    value_amount: Mapped[Decimal] = mapped_column(Amount(), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    minimum_step_amount: Mapped[Decimal | None] = mapped_column(Amount())
    enquiry_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submission_deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    criteria: Mapped[list | None] = mapped_column(JSON)  # [{name, weight}] when awarded by rated criteria
    status: Mapped[str] = mapped_column(String(20), index=True, default="planning")
    status_reason: Mapped[str | None] = mapped_column(Text)
    lots: Mapped[list[Lot]] = relationship(order_by="Lot.position", lazy="selectin")


class Lot(Base):
    __tablename__ = "tender_lots"
    __table_args__ = (UniqueConstraint("tender_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    value_amount: Mapped[Decimal] = mapped_column(Amount())


class TenderDocument(Base):
    __tablename__ = "tender_documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(2))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class Enquiry(Base):
    __tablename__ = "tender_enquiries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))


class Bid(Base):
    """A sealed bid: its amount is stored but never shown, emitted or audited before the deadline."""

    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("lot_id", "supplier_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    lot_id: Mapped[str] = mapped_column(ForeignKey("tender_lots.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_amount: Mapped[Decimal | None] = mapped_column(Amount())  # the last price after an auction
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))


class Auction(Versioned, Base):
    """An electronic reverse auction for one lot. Its row is locked by every bid (SELECT … FOR UPDATE), so
    bids are placed one after the other whatever the number of web processes."""

    __tablename__ = "auctions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    lot_id: Mapped[str] = mapped_column(ForeignKey("tender_lots.id"), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    minimum_step_amount: Mapped[Decimal] = mapped_column(Amount())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    round_seconds: Mapped[int] = mapped_column(Integer)
    rounds: Mapped[int] = mapped_column(Integer)
    bids_placed: Mapped[int] = mapped_column(Integer, default=0)
    best_amount: Mapped[Decimal | None] = mapped_column(Amount())
    leader_id: Mapped[str | None] = mapped_column(String(36))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    participants: Mapped[list[AuctionParticipant]] = relationship(order_by="AuctionParticipant.label",
                                                                  lazy="selectin")


class AuctionParticipant(Base):
    __tablename__ = "auction_participants"
    __table_args__ = (UniqueConstraint("auction_id", "supplier_id"), UniqueConstraint("auction_id", "label"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    auction_id: Mapped[str] = mapped_column(ForeignKey("auctions.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    bid_id: Mapped[str] = mapped_column(ForeignKey("bids.id"))
    label: Mapped[str] = mapped_column(String(20))
    last_amount: Mapped[Decimal] = mapped_column(Amount())
    last_round: Mapped[int | None] = mapped_column(Integer)


class AuctionBid(Base):
    """Every attempt to bid, accepted or refused with its reason: the auction's complete record."""

    __tablename__ = "auction_bids"
    __table_args__ = (UniqueConstraint("auction_id", "sequence"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    auction_id: Mapped[str] = mapped_column(ForeignKey("auctions.id"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("auction_participants.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    round: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Amount())
    accepted: Mapped[bool] = mapped_column(Boolean)
    took_lead: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    placed_by: Mapped[str] = mapped_column(String(200))


class Award(Versioned, Base):
    """The decision for one lot: a supplier at a price (pending through the standstill, then active), or
    unsuccessful. `evaluation` keeps every ranked bid with its price and score, and the disqualified with why."""

    __tablename__ = "awards"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    lot_id: Mapped[str] = mapped_column(ForeignKey("tender_lots.id"), index=True)
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    bid_id: Mapped[str | None] = mapped_column(ForeignKey("bids.id"))
    amount: Mapped[Decimal | None] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    award_criteria: Mapped[str] = mapped_column(String(20))
    evaluation: Mapped[dict] = mapped_column(JSON)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)


class Contract(Versioned, Base):
    __tablename__ = "contracts"
    __table_args__ = (list_index("contracts", "period_start"),
                      *(list_index("contracts", field, "-period_start") for field in ("amount", "created_at")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    award_id: Mapped[str] = mapped_column(ForeignKey("awards.id"), unique=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    buyer_signatory: Mapped[str] = mapped_column(String(300))
    supplier_signatory: Mapped[str] = mapped_column(String(300))
    buyer_signed_on: Mapped[date | None] = mapped_column(Date)
    supplier_signed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True, default="pending")
    status_reason: Mapped[str | None] = mapped_column(Text)


class Milestone(Base):
    __tablename__ = "contract_milestones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    milestone_type: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal | None] = mapped_column(Amount())
    status: Mapped[str] = mapped_column(String(20), index=True, default="scheduled")
    status_reason: Mapped[str | None] = mapped_column(Text)
    date_met: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))


class Amendment(Base):
    __tablename__ = "contract_amendments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON)  # field -> [before, after]
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class Payment(Base):
    """A payment under a contract (OCDS implementation.transactions)."""

    __tablename__ = "contract_payments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    milestone_id: Mapped[str | None] = mapped_column(ForeignKey("contract_milestones.id"))
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    reference: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class Agreement(Withholdable, Versioned, Base):
    """A cooperation agreement with a foreign partner; `partner_id` is the id outreach gives the partner. It may be
    confidential or embargoed (decision 0190)."""

    __tablename__ = "agreements"
    __table_args__ = tuple(list_index("agreements", field, "valid_until")
                           for field in ("valid_from", "signed_on", "partner_name", "created_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(300))
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    partner_name: Mapped[str] = mapped_column(String(300))
    partner_kind: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="cooperation", server_default="cooperation")
    country: Mapped[str] = mapped_column(String(2), index=True)
    areas: Mapped[list] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    signed_on: Mapped[date | None] = mapped_column(Date)
    signatories: Mapped[str | None] = mapped_column(Text)
    # The approval chain (decision 0135): the mayor's office's approval, the foreign ministry's clearance.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(200))
    cleared_on: Mapped[date | None] = mapped_column(Date)
    clearance_reference: Mapped[str | None] = mapped_column(String(100))
    expiry_noticed_for: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    status_reason: Mapped[str | None] = mapped_column(Text)
    activities: Mapped[list[AgreementActivity]] = relationship(order_by="AgreementActivity.position",
                                                              lazy="selectin")


class AgreementActivity(Base):
    """An item of the plan of activities; it keeps its id through amendments, so outreach keeps its plan item."""

    __tablename__ = "agreement_activities"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    responsible_body: Mapped[str] = mapped_column(String(200))


class AgreementDocument(Base):
    __tablename__ = "agreement_documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(2))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class AgreementAmendment(Base):
    __tablename__ = "agreement_amendments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id"), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict] = mapped_column(JSON)
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))


class Commitment(Versioned, Base):
    """An obligation the city took towards a foreign investor or economic agent."""

    __tablename__ = "commitments"
    __table_args__ = (list_index("commitments", "created_at", "due_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    obligation: Mapped[str] = mapped_column(Text)
    counterparty_name: Mapped[str] = mapped_column(String(300), index=True)
    counterparty_kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), index=True)
    partner_id: Mapped[str | None] = mapped_column(String(36), index=True)
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreements.id"))
    responsible_body: Mapped[str] = mapped_column(String(200), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal | None] = mapped_column(Amount())
    currency: Mapped[str | None] = mapped_column(String(3))
    evidence: Mapped[str | None] = mapped_column(Text)
    fulfilled_on: Mapped[date | None] = mapped_column(Date)
    due_noticed_for: Mapped[date | None] = mapped_column(Date)
    overdue_noticed_for: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True, default="open")
    status_reason: Mapped[str | None] = mapped_column(Text)


class OcdsRelease(Base):
    """An OCDS release as it was published, never changed: what a stage of a contracting process was when a change
    to it was committed (decision 0038). `position` orders the public feed; `id` is `<ocid>-<sequence>`."""

    __tablename__ = "ocds_releases"
    __table_args__ = (UniqueConstraint("ocid", "sequence"),)

    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(120), unique=True)
    ocid: Mapped[str] = mapped_column(String(100), index=True)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(60))  # planning, tender, award-<id>, contract-<id>
    date: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    tags: Mapped[list] = mapped_column(JSON)
    content: Mapped[dict] = mapped_column(JSON)
