"""The bare baseline of create-visit: Flask + SQLAlchemy inserting one comparable row, nothing else.

No auth, no schema validation, no outbox, no audit, no metrics, no tracing, no logging: the floor that the
real visits service is compared with. Served by gunicorn with the production settings
(`-c python:shared.gunicorn_conf`), on the same kind of database (BENCH_DATABASE_URL), configured as the
service's engines are (SQLite: WAL, synchronous=NORMAL, BEGIN IMMEDIATE for writers; PostgreSQL: a pool of 5).
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime

from flask import Flask, jsonify, request
from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, Text, create_engine, event, insert
from sqlalchemy.engine import Engine

metadata = MetaData()
bench_visits = Table(
    "bench_visits", metadata,
    Column("id", String(36), primary_key=True),
    Column("delegation_name", String(300), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("city", String(200), nullable=False),
    Column("starts_on", Date, nullable=False, index=True),
    Column("ends_on", Date, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("host_official", String(200), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("status_reason", Text),
    Column("version", Integer, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
FIELDS = ("delegation_name", "country", "city", "starts_on", "ends_on", "purpose", "host_official")


def make_engine(url: str) -> Engine:
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
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(url: str) -> None:
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    engine = make_engine(os.environ["BENCH_DATABASE_URL"])  # connects lazily, after gunicorn's fork
    app = Flask("bench-baseline")

    @app.get("/healthz")
    def healthz():
        return {"status": "alive"}

    @app.post("/api/v1/visits")
    def create_visit():
        body = request.get_json()
        now = datetime.now(UTC)
        row = {name: body[name] for name in FIELDS}
        row.update(id=str(uuid.uuid4()), starts_on=date.fromisoformat(body["starts_on"]),
                   ends_on=date.fromisoformat(body["ends_on"]), status="draft", status_reason=None, version=1,
                   created_by="bench", created_at=now, updated_at=now)
        with engine.begin() as connection:
            connection.execute(insert(bench_visits).values(row))
        answer = jsonify({key: value.isoformat() if isinstance(value, date) else value for key, value in row.items()})
        answer.status_code = 201
        answer.headers["Location"] = f"/api/v1/visits/{row['id']}"
        return answer

    return app
