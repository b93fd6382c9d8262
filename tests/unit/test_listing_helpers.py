"""`where_set` and `sort_by` (shared/http/resources.py): the filters and sorting list views share."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.http.problems import Problem
from shared.http.resources import apply_sort, sort_by, where_set


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))


class ThingQuery(BaseModel):
    status: str | None = None
    country: str | None = None
    sort: str | None = None


def sql(statement) -> str:
    return str(statement.compile(compile_kwargs={"literal_binds": True}))


def test_where_set_narrows_by_the_filters_the_query_sets_and_ignores_the_others():
    statement = where_set(select(Thing), Thing, ThingQuery(country="BG"), ("status", "country"))
    assert sql(statement) == sql(select(Thing).where(Thing.country == "BG"))
    assert sql(where_set(select(Thing), Thing, ThingQuery(), ("status", "country"))) == sql(select(Thing))


def test_sort_by_is_apply_sort_over_the_named_columns():
    default = [Thing.id]
    columns = {"status": Thing.status, "country": Thing.country}
    for sort in (None, "status", "-country,status"):
        assert sql(sort_by(select(Thing), sort, Thing, ("status", "country"), default)) == \
            sql(apply_sort(select(Thing), sort, columns, default))
    with pytest.raises(Problem):
        sort_by(select(Thing), "id", Thing, ("status", "country"), default)
