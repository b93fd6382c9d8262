"""The bare baseline of an auction bid: Flask + SQLAlchemy doing the bid's essential database work, nothing else.

One transaction per bid: lock the auction row (SELECT … FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite),
read the bidder's last price, check the step, insert the bid, update the bidder and the auction's best price.
No auth, no schema validation, no round clock, no audit, no outbox, no metrics: the floor the real contracts
service is compared with, served by gunicorn with the production settings on the same kind of database.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from flask import Flask, jsonify, request
from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, Numeric, String, Table, insert, select, update

from tests.bench.baseline_app import make_engine

metadata = MetaData()
auctions = Table(
    "bench_auctions", metadata,
    Column("id", String(36), primary_key=True),
    Column("minimum_step", Numeric(18, 2), nullable=False),
    Column("best_amount", Numeric(18, 2)),
    Column("bids_placed", Integer, nullable=False),
)
participants = Table(
    "bench_participants", metadata,
    Column("auction_id", String(36), primary_key=True),
    Column("bidder", String(36), primary_key=True),
    Column("last_amount", Numeric(18, 2), nullable=False),
)
bids = Table(
    "bench_bids", metadata,
    Column("id", String(36), primary_key=True),
    Column("auction_id", String(36), nullable=False, index=True),
    Column("bidder", String(36), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("amount", Numeric(18, 2), nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
)


def create_auctions(url: str, starting_prices: dict[str, dict[str, Decimal]], minimum_step: Decimal) -> None:
    """The auctions (id → bidder → sealed price) the baseline's bidders will bid in."""
    engine = make_engine(url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        for auction_id, prices in starting_prices.items():
            connection.execute(insert(auctions).values(id=auction_id, minimum_step=minimum_step,
                                                       best_amount=min(prices.values()), bids_placed=0))
            connection.execute(insert(participants), [{"auction_id": auction_id, "bidder": bidder,
                                                       "last_amount": price} for bidder, price in prices.items()])
    engine.dispose()


def create_app() -> Flask:
    engine = make_engine(os.environ["BENCH_DATABASE_URL"])  # connects lazily, after gunicorn's fork
    app = Flask("bench-auction-baseline")

    @app.get("/healthz")
    def healthz():
        return {"status": "alive"}

    @app.post("/auctions/<auction_id>/bids")
    def place_bid(auction_id: str):
        body = request.get_json()
        amount, bidder = Decimal(body["amount"]), body["bidder"]
        with engine.begin() as connection:
            auction = connection.execute(select(auctions).where(auctions.c.id == auction_id)
                                         .with_for_update()).one()
            last = connection.execute(select(participants.c.last_amount).where(
                participants.c.auction_id == auction_id, participants.c.bidder == bidder)).scalar_one()
            accepted = amount <= last - auction.minimum_step
            sequence = auction.bids_placed + 1
            connection.execute(insert(bids).values(id=str(uuid.uuid4()), auction_id=auction_id, bidder=bidder,
                                                   sequence=sequence, amount=amount, accepted=accepted,
                                                   placed_at=datetime.now(UTC)))
            best = min(auction.best_amount, amount) if accepted else auction.best_amount
            connection.execute(update(auctions).where(auctions.c.id == auction_id)
                               .values(bids_placed=sequence, best_amount=best))
            if accepted:
                connection.execute(update(participants).where(participants.c.auction_id == auction_id,
                                                              participants.c.bidder == bidder)
                                   .values(last_amount=amount))
        answer = jsonify({"sequence": sequence, "accepted": accepted, "amount": str(amount)})
        answer.status_code = 201 if accepted else 409
        return answer

    return app
