"""Every list route's page is read through an index on PostgreSQL, whatever its filter or sort, unless its table stays
small by nature (decisions 0170, 0215).

Each service runs in this process on a migrated PostgreSQL database. Every GET of its OpenAPI document that
answers a `Page` is asked with no parameters, then with each filter it documents (a value its schema allows)
and each field `sort` may name; every SELECT a request makes is planned again with `enable_seqscan` off. The
planner then takes an index wherever one can serve the query, so a sequential scan left in the plan means that
no index serves it: a page whose cost grows with the table. The plans are read, never timed, so the tables can
stay empty: a plan chosen with sequential scans disfavoured does not depend on how many rows there are. A scan
of a table in `BOUNDED` is allowed; a scan of any other table fails the test.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from shared.config import load_settings
from shared.http.auth import mint_development_token
from shared.migrations import upgrade
from shared.suite import SERVICES
from tests.support.processes import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.integration

PAGING = {"page", "page_size", "cursor", "total"}
SAMPLES = {"date": "2027-03-01", "date-time": "2027-03-01T09:30:00Z"}
# Tables that stay small whatever the office does, registers staff keep by hand (decision 0215): table → why. A page
# of one may read the whole table. A table that grows with the office's work is never listed here: index its list.
BOUNDED: dict[str, str] = {
    "interpreters": "the interpreters the office hires",
    "officials": "the city's officials",
    "daily_rates": "a per diem for each country and period",
    "exchange_rates": "the rates staff enter for the currencies trips use",
    "missions": "the foreign missions in the country",
    "organisations": "the international organisations and networks the city deals with",
    "offices": "the city's offices abroad",
    "office_staff": "the posts of the city's offices abroad",
    "societies": "the friendship societies and NGOs the office works with",
    "enterprises": "the city's enterprises the office helps to export",
    "role_subscriptions": "a few event patterns for each role",
    "webhooks": "the systems told of events",
}


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _options(document: dict, schema: dict) -> list[dict]:
    schema = _resolve(document, schema)
    return [_resolve(document, option) for option in schema.get("anyOf", [schema])]


def _sample(document: dict, name: str, schema: dict) -> list[str]:
    """Values of a query parameter worth planning: each field `sort` may name, else one value its schema takes."""
    for option in _options(document, schema):
        if name == "sort" and "pattern" in option:
            fields = re.search(r"\(([^()]*)\)", option["pattern"]).group(1).split("|")
            return [field.replace("\\", "") for field in fields]
        if "enum" in option:
            return [str(option["enum"][0])]
        if option.get("type") == "boolean":
            return ["true"]
        if option.get("format") in SAMPLES:
            return [SAMPLES[option["format"]]]
        if option.get("type") == "string":
            return ["A" * max(option.get("minLength", 1), 2) if "pattern" in option else "x"]
    return []


def _list_routes(document: dict) -> Iterator[tuple[str, list[dict]]]:
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        answer = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        if answer and {"items", "total", "next"} <= set(_resolve(document, answer).get("properties", {})):
            yield path, [parameter for parameter in get.get("parameters", []) if parameter["in"] == "query"]


def _scans(plan: dict) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan":
        yield plan["Relation Name"]
    for child in plan.get("Plans", []):
        yield from _scans(child)


@pytest.fixture
def planned(request):
    """The service's app on an empty PostgreSQL database, and a function listing the tables a GET scans (but the
    bounded ones)."""
    service = request.param
    name = f"plans_{uuid.uuid4().hex[:10]}"
    url = create_postgres_database(name)
    config = {"CHANCERY_ENV": "development", "CHANCERY_JWT_SECRET": "", "CHANCERY_JWKS_URL": "",
              "CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_RATE_LIMIT": "", "CHANCERY_LOG_LEVEL": "WARNING",
              "CHANCERY_AMQP_URL": "amqp://guest:guest@127.0.0.1:1//", f"{service.upper()}_DATABASE_URL": url}
    module = import_module(f"services.{service}.app")
    settings = load_settings(service, config)
    upgrade(module.SPEC, settings)
    app = module.create_app(config)
    client, database = app.test_client(), app.extensions["chancery"].database
    token = mint_development_token(settings, "planner", ["admin"], department="International Relations Department")
    selects: list[tuple[str, Any]] = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            selects.append((statement, parameters))

    def scanned(url: str) -> tuple[int, set[str]]:
        selects.clear()
        status = client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code
        tables: set[str] = set()
        with database.engine.connect() as connection:
            connection.exec_driver_sql("SET enable_seqscan = off")
            for statement, parameters in list(selects):
                plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
                tables.update(_scans(plan[0]["Plan"]))
        return status, tables - BOUNDED.keys()

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield service, app.api_doc, scanned
    finally:
        event.remove(Engine, "before_cursor_execute", capture)
        database.dispose()
        database.engine.dispose(close=True)
        drop_postgres_database(name)


@pytest.mark.parametrize("planned", SERVICES, indirect=True)
def test_no_list_route_reads_a_growing_table_from_end_to_end_for_a_page(planned):
    service, document, scanned = planned
    routes = list(_list_routes(document))
    assert routes, "no list route found in the OpenAPI document"
    found: dict[str, set[str]] = {}
    for path, parameters in routes:
        status, tables = scanned(path)
        assert status == 200, path
        if tables:
            found[path] = tables
        for parameter in parameters:
            if parameter["name"] in PAGING:
                continue
            for value in _sample(document, parameter["name"], parameter["schema"]):
                asked = f"{path}?{parameter['name']}={value}"
                status, tables = scanned(asked)
                if status == 200 and tables:
                    found[asked] = tables
    assert found == {}
