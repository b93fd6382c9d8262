"""The contracts database: its domain tables and the plumbing tables every service keeps."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.contracts.store.types import Amount
from shared.db import PlumbingTables, UTCDateTime, utcnow


class Base(DeclarativeBase):
    pass


plumbing = PlumbingTables(Base.metadata)


def new_id() -> str:
    return str(uuid.uuid4())


class Versioned:
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PlanLine(Versioned, Base):
    __tablename__ = "plan_lines"

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
