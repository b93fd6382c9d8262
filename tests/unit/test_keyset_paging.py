"""`paginate` (shared/http/resources.py, decision 0170): pages followed by their `next` cursor, on SQLite and
PostgreSQL, give every record once in the order asked, NULLs and ties included; the total is counted only
when cheap or asked for."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date
from urllib.parse import parse_qsl

import pytest
from flask import Flask
from pydantic import ValidationError
from sqlalchemy import Date, ForeignKey, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.http import resources
from shared.http.problems import Problem
from shared.http.resources import PageQuery, apply_sort, paginate, sorted_by
from tests.support.processes import create_postgres_database, drop_postgres_database


class Base(DeclarativeBase):
    pass


class Owner(Base):
    __tablename__ = "keyset_owners"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)


class Thing(Base):
    __tablename__ = "keyset_things"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("keyset_owners.id"))
    status: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)


COLUMNS = {"status": Thing.status, "due_on": Thing.due_on}
Query = sorted_by(PageQuery, tuple(COLUMNS))
DUE = [date(2027, 1, 1), date(2027, 1, 2), None, date(2027, 1, 1), None, date(2027, 1, 3), date(2027, 1, 2)]


@pytest.fixture(params=["sqlite", "postgres"])
def session(request, tmp_path):
    name = f"unit_keyset_{uuid.uuid4().hex[:8]}"
    url = create_postgres_database(name) if request.param == "postgres" else f"sqlite:///{tmp_path / name}.db"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as opened:
        opened.add(Owner(id="o1"))
        opened.add_all(Thing(id=f"t{number:02d}", owner_id="o1", status="open" if number % 3 else "closed",
                             due_on=due) for number, due in enumerate(DUE * 3))
        opened.commit()
        yield opened
    engine.dispose()
    if request.param == "postgres":
        drop_postgres_database(name)


def page(session, arguments: dict[str, str], *, joined: bool = False) -> dict:
    app = Flask(__name__)
    with app.test_request_context("/api/v1/things", query_string=arguments):
        query = Query(**arguments)
        chosen = select(Thing, Owner).join(Owner) if joined else select(Thing)
        statement = apply_sort(chosen, query.sort, COLUMNS, [Thing.id])
        return paginate(session, statement, query, lambda row: row["Thing"].id if joined else row.id)


def arguments_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(link.split("?", 1)[1]))


def followed(session, arguments: dict[str, str]) -> list[dict]:
    """Every page from the first, each asked with the `next` link's query of the one before."""
    pages = [page(session, arguments)]
    while pages[-1]["next"] is not None:
        link = pages[-1]["next"]
        assert link.startswith("/api/v1/things?")
        pages.append(page(session, arguments_of(link)))
    return pages


@pytest.mark.parametrize("sort", [None, "due_on", "-due_on", "status,-due_on", "-status,due_on"])
def test_following_next_gives_every_record_once_in_the_order_of_a_whole_listing(session, sort):
    arguments = {"page_size": "4", **({"sort": sort} if sort else {})}
    whole = page(session, {**arguments, "page_size": "200"})["items"]
    pages = followed(session, arguments)
    assert [item for answer in pages for item in answer["items"]] == whole
    assert len(whole) == len(DUE) * 3
    assert [len(answer["items"]) for answer in pages] == [4, 4, 4, 4, 4, 1]
    assert [answer["page"] for answer in pages] == [1, None, None, None, None, None]


def test_rows_of_several_records_are_paged_by_the_columns_of_the_one_the_order_names(session):
    first = page(session, {"page_size": "4", "sort": "-due_on"}, joined=True)
    second = page(session, arguments_of(first["next"]), joined=True)
    whole = page(session, {"page_size": "200", "sort": "-due_on"})["items"]
    assert first["items"] + second["items"] == whole[:8]


def test_a_page_asked_by_number_answers_as_before_with_a_cursor_to_the_page_after_it(session):
    second = page(session, {"page": "2", "page_size": "4", "sort": "-due_on"})
    third = page(session, {"page": "3", "page_size": "4", "sort": "-due_on"})
    after_second = arguments_of(second["next"])
    assert "page" not in after_second
    assert page(session, after_second)["items"] == third["items"]
    assert (second["page"], second["total"], second["total_exact"]) == (2, 21, True)


def test_the_total_is_counted_up_to_the_limit_and_estimated_beyond_unless_asked_for(session, monkeypatch):
    monkeypatch.setattr(resources, "COUNT_LIMIT", 10)
    estimated = page(session, {"page_size": "4"})
    assert estimated["total_exact"] is False
    assert estimated["total"] >= 11
    exact = page(session, {"page_size": "4", "total": "exact"})
    assert (exact["total"], exact["total_exact"]) == (21, True)
    whole = page(session, {"page_size": "30"})
    assert (whole["total"], whole["total_exact"]) == (21, True)  # the first page is the last: nothing to count
    monkeypatch.setattr(resources, "COUNT_LIMIT", 1000)
    counted = page(session, {"page_size": "4"})
    assert (counted["total"], counted["total_exact"]) == (21, True)


def test_a_cursor_made_for_another_order_is_refused_naming_the_cursor(session):
    cursor = arguments_of(page(session, {"page_size": "4", "sort": "due_on"})["next"])["cursor"]
    with pytest.raises(Problem) as refused:
        page(session, {"page_size": "4", "sort": "status", "cursor": cursor})
    assert refused.value.errors[0]["field"] == "cursor"


@pytest.mark.parametrize("values", [["2027-01-01", "t01"], [{"d": "2027-01-01"}, 7],
                                    [{"t": "2027-01-01T00:00:00"}, "t01"]])
def test_a_cursor_whose_values_are_not_of_its_columns_types_is_refused_before_the_database(session, values):
    forged = _written({"s": "due_on", "v": values})
    with pytest.raises(Problem) as refused:
        page(session, {"page_size": "4", "sort": "due_on", "cursor": forged})
    assert refused.value.errors[0]["field"] == "cursor"


def _written(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", ["nope", "e30", "W10", "eyJzIjoiIiwidiI6W119", "a" * 2001, "ab=c", "x y",
                                    _written({"s": "", "v": [{"n": "abc"}]}), _written({"s": "", "v": [{"x": 1}]}),
                                    _written({"s": "", "v": [{"d": 5}]}), _written({"s": 1, "v": [1]}),
                                    base64.urlsafe_b64encode(b"[" * 1400).decode()])
def test_a_cursor_this_api_did_not_make_is_refused(cursor):
    with pytest.raises(ValidationError) as refused:
        Query(cursor=cursor)
    assert [error["loc"] for error in refused.value.errors()] == [("cursor",)]


def test_a_cursor_with_a_page_number_is_refused():
    with pytest.raises(ValidationError) as refused:
        Query(page=2, cursor="eyJzIjoiIiwidiI6WyJ0MDEiXX0")
    assert [error["loc"] for error in refused.value.errors()] == [("cursor",)]
