"""The contracts service's dates moved into the past, as a test clock moves time forward: a tender's submission
deadline, an auction's rounds, an award's standstill. The service reads the system clock (its processes have no
clock setting), so a test that cannot wait ten days moves the record's own dates instead, as the auction bench
does with the deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from services.contracts.store.models import Auction, Award, Tender
from shared.db import Database


def _moved(database_url: str, model, record_id: str, **values) -> None:
    database = Database(database_url)
    try:
        with database.session() as session:
            session.execute(update(model).where(model.id == record_id).values(**values))
    finally:
        database.engine.dispose()
        database.reader_engine.dispose()


def pass_the_deadline(database_url: str, tender_id: str) -> None:
    _moved(database_url, Tender, tender_id, submission_deadline=datetime.now(UTC) - timedelta(seconds=1))


def end_the_auction(database_url: str, auction_id: str, rounds: int, round_seconds: int) -> None:
    started = datetime.now(UTC) - timedelta(seconds=rounds * round_seconds + 1)
    _moved(database_url, Auction, auction_id, starts_at=started)


def wait_out_the_standstill(database_url: str, award_id: str) -> None:
    _moved(database_url, Award, award_id, standstill_ends_at=datetime.now(UTC) - timedelta(seconds=1))


def start_the_auction(database_url: str, auction_id: str) -> None:
    _moved(database_url, Auction, auction_id, starts_at=datetime.now(UTC) - timedelta(seconds=1))
