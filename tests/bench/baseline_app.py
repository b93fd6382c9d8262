"""The bare baselines of every endpoint figure: Flask + SQLAlchemy writing or reading rows, nothing else.

One app for every service's collection (`/api/v1/<collection>`): a write validates nothing and inserts the
JSON body as one row; a read answers a page of those rows, newest first, with the total, as the services'
lists do. No auth, no schema validation, no outbox, no audit, no metrics, no tracing, no logging: the floor
that the real services are compared with. With BENCH_SAME_WORK=1 (the same-work baseline, issue 19) a write
also writes what a service's create writes beside its record, in the same transaction: a row per item of each
list in the body (a trip's destinations and travellers; one INSERT per list, as the ORM's flush), its outbox
event and its audit record, in the services' own outbox and audit tables, with SQLAlchemy Core: what is left
between it and a service is the platform's cost, not the work's. Served by gunicorn with the production settings
(`-c python:shared.gunicorn_conf`), on the same kind of database (BENCH_DATABASE_URL), configured as the
services' engines are (SQLite: WAL, synchronous=NORMAL, BEGIN IMMEDIATE for writers, deferred for readers;
PostgreSQL: a pool of 5).
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine

from shared.db import PlumbingTables
from shared.plumbing_migrations import OUTBOX_WAKEUP_V1

metadata = MetaData()
bench_records = Table(
    "bench_records", metadata,
    Column("id", String(36), primary_key=True),
    Column("collection", String(50), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_bench_records_collection_created", "collection", "created_at"),
)
bench_parts = Table(
    "bench_parts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(36), ForeignKey("bench_records.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("field", String(50), nullable=False),
    Column("position", Integer, nullable=False),
    Column("body", Text, nullable=False),
)
plumbing = PlumbingTables(metadata)  # the services' outbox and audit tables, their indexes included
MAX_PAGE_SIZE = 200


def make_engine(url: str, *, immediate: bool = True) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_schema(url: str) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    if engine.dialect.name == "postgresql":  # the outbox's commit notification, as the services' migrations add
        with engine.begin() as connection:
            for statement in OUTBOX_WAKEUP_V1:
                connection.exec_driver_sql(statement)
    engine.dispose()


def _answer(row) -> dict:
    return {**json.loads(row["body"]), "id": row["id"], "status": row["status"], "version": row["version"],
            "created_by": row["created_by"], "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat()}


def write_same_work(connection: Connection, collection: str, row: dict, body: dict, answer: dict) -> None:
    """Beside the record: its parts (a row per item of each list of objects in the body, one INSERT per list),
    its outbox event and its audit record."""
    for field, items in body.items():
        if isinstance(items, list) and items and all(isinstance(item, dict) for item in items):
            connection.execute(insert(bench_parts), [
                {"record_id": row["id"], "field": field, "position": position, "body": json.dumps(item)}
                for position, item in enumerate(items)])
    connection.execute(insert(plumbing.outbox), {
        "event_id": str(uuid.uuid4()), "type": f"chancery.bench.{collection}.created.v1", "subject": row["id"],
        "data": answer, "occurred_at": row["created_at"], "traceparent": None})
    connection.execute(insert(plumbing.audit), {
        "at": row["created_at"], "actor": row["created_by"], "roles": "bench", "action": f"{collection}.created",
        "record_type": collection, "record_id": row["id"], "changes": body, "request_id": str(uuid.uuid4())})


def create_app() -> Flask:
    url = os.environ["BENCH_DATABASE_URL"]
    same_work = os.environ.get("BENCH_SAME_WORK") == "1"
    engine = make_engine(url)  # connects lazily, after gunicorn's fork
    reader = make_engine(url, immediate=False) if url.startswith("sqlite") else engine  # as the services read
    app = Flask("bench-baseline")

    @app.get("/healthz")
    def healthz():
        return {"status": "alive"}

    @app.post("/api/v1/<collection>")
    def create(collection: str):
        now = datetime.now(UTC)
        body = request.get_json()
        row = {"id": str(uuid.uuid4()), "collection": collection, "body": json.dumps(body),
               "status": "draft", "version": 1, "created_by": "bench", "created_at": now, "updated_at": now}
        shown = _answer(row)
        with engine.begin() as connection:
            connection.execute(insert(bench_records).values(row))
            if same_work:
                write_same_work(connection, collection, row, body, shown)
        answer = jsonify(shown)
        answer.status_code = 201
        answer.headers["Location"] = f"/api/v1/{collection}/{row['id']}"
        return answer

    @app.get("/api/v1/<collection>")
    def page(collection: str):
        size = min(max(request.args.get("page_size", 50, type=int), 1), MAX_PAGE_SIZE)
        number = max(request.args.get("page", 1, type=int), 1)
        where = bench_records.c.collection == collection
        with reader.connect() as connection:
            total = connection.execute(select(func.count()).select_from(bench_records).where(where)).scalar_one()
            rows = connection.execute(select(bench_records).where(where)
                                      .order_by(bench_records.c.created_at.desc())
                                      .limit(size).offset((number - 1) * size)).mappings().all()
        return jsonify({"items": [_answer(row) for row in rows], "page": number, "page_size": size, "total": total})

    return app
