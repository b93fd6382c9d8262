"""`where_set`, `sorted_by` and `apply_sort` (shared/http/resources.py): the filters and sorting list views share; and
`list_index` (shared/db.py), the index that holds a list in its order."""

from __future__ import annotations

import jsonschema_rs
from pydantic import BaseModel, ValidationError
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import list_index
from shared.http.resources import PageQuery, apply_sort, sorted_by, where_set


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


def test_a_sorted_query_takes_exactly_the_sort_its_documented_pattern_states():
    query = sorted_by(PageQuery, ("status", "country"))
    documented = jsonschema_rs.validator_for(query.model_json_schema()["properties"]["sort"])
    for sort in ("status", "-country,status", "status,status", "", "id", "-status,id", "status,", "--status",
                 " status", "status\n", "-", ","):
        try:
            query(sort=sort)
            taken = True
        except ValidationError as error:
            assert [part["loc"] for part in error.errors()] == [("sort",)]
            taken = False
        assert taken == documented.is_valid(sort) == (sort in ("status", "-country,status", "status,status")), sort


def test_a_query_sorted_by_no_fields_documents_and_takes_any_sort_as_before():
    assert "pattern" not in str(PageQuery.model_json_schema()["properties"]["sort"])
    assert PageQuery(sort="anything").sort == "anything"


def test_apply_sort_orders_by_each_named_column_in_its_direction_then_by_the_default():
    default = [Thing.id]
    columns = {"status": Thing.status, "country": Thing.country}
    assert sql(apply_sort(select(Thing), None, columns, default)) == sql(select(Thing).order_by(Thing.id))
    assert sql(apply_sort(select(Thing), "-country,status", columns, default)) == \
        sql(select(Thing).order_by(Thing.country.desc(), Thing.status.asc(), Thing.id))


def test_a_list_index_holds_the_columns_of_the_order_apply_sort_gives_a_sort_by_its_first_field():
    ordered = apply_sort(select(Thing), "status", {"status": Thing.status}, [Thing.country.desc(), Thing.id.desc()])
    order = [str(clause).removeprefix("things.").removesuffix(" ASC") for clause in ordered._order_by_clauses]
    index = list_index("things", "status", "-country")
    assert [str(expression) for expression in index.expressions] == order == ["status", "country DESC", "id DESC"]
    assert index.name == "ix_things_status_country"


def test_a_list_index_names_each_column_once_and_the_id_last_unless_the_order_names_it():
    assert [str(expression) for expression in list_index("things", "country", "status", "country").expressions] == \
        ["country", "status", "id"]
    assert [str(expression) for expression in list_index("things", "-country", "id").expressions] == \
        ["country DESC", "id"]
    assert list_index("things", "country").name == "ix_things_country_id"
