"""The analytics read model: events are logged, then folded into one fact per record; a rebuild refolds the log."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.outreach.domain.analytics import Fact, fact_of, kind_of
from services.outreach.store.models import AnalyticsEvent, AnalyticsFact


def feeds_analytics(event_type: str) -> bool:
    return kind_of(event_type) is not None


def log_and_fold(session: Session, event_id: str, event_type: str, occurred_at: datetime, data: dict) -> None:
    """Keep the event and fold it into the read model (live)."""
    logged = AnalyticsEvent(event_id=event_id, type=event_type, occurred_at=occurred_at, data=data)
    session.add(logged)
    session.flush()
    fold(session, logged)


def fold(session: Session, logged: AnalyticsEvent) -> None:
    """The newest event of a record wins, whatever order events arrive in: (time, log position) decides."""
    fact = fact_of(logged.type, logged.data)
    if fact is None:
        return
    current = session.get(AnalyticsFact, (fact.kind, fact.record_id))
    if current is not None and (current.as_of, current.as_of_position) > (logged.occurred_at, logged.position):
        return
    values = {**asdict(fact), "countries": list(fact.countries), "as_of": logged.occurred_at,
              "as_of_position": logged.position}
    if current is None:
        session.add(AnalyticsFact(**values))
    else:
        for name, value in values.items():
            setattr(current, name, value)


def rebuild(session: Session) -> tuple[int, int]:
    """Throw the read model away and fold every logged event again; returns (events, facts)."""
    session.execute(delete(AnalyticsFact))
    events = 0
    for logged in session.scalars(select(AnalyticsEvent).order_by(AnalyticsEvent.occurred_at,
                                                                   AnalyticsEvent.position)):
        fold(session, logged)
        session.flush()
        events += 1
    return events, len(session.scalars(select(AnalyticsFact.record_id)).all())


def facts(session: Session) -> list[Fact]:
    return [Fact(kind=row.kind, record_id=row.record_id, year=row.year, status=row.status,
                 countries=tuple(row.countries), amount=row.amount, currency=row.currency,
                 responsible_body=row.responsible_body, partner_id=row.partner_id)
            for row in session.scalars(select(AnalyticsFact).order_by(AnalyticsFact.kind, AnalyticsFact.record_id))]
