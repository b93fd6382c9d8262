"""What every resource endpoint needs: pages, sorting, ETags and If-Match, Idempotency-Key on creation."""

from __future__ import annotations

import base64
import hashlib
import json
import marshal
import re
import types
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache, wraps
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar, cast, get_args
from urllib.parse import quote, urlencode

from flask import Response, g, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic_core import CoreSchema
from sqlalchemy import ColumnElement, Select, and_, false, func, insert, inspect, literal_column, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from shared.db import utcnow
from shared.http.problems import Problem
from shared.http.work import runtime
from shared.uow import UnitOfWork

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps the offset within a 64-bit integer whatever the page size
MAX_CURSOR = 2000
COUNT_LIMIT = 1000  # a total above it is estimated unless asked for: counting costs what the matching rows do
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
Item = TypeVar("Item")
Query = TypeVar("Query", bound="PageQuery")


def _clamp_page_size(value: int) -> int:
    return min(max(value, 1), MAX_PAGE_SIZE)


_QUERY_SCHEMAS: dict[tuple, bytes] = {}
ISO_8601 = {date: re.compile(r"^\d{4}-\d{2}-\d{2}$"), datetime: re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]")}
ISO_EXAMPLES = {date: "2027-03-01", datetime: "2027-03-01T09:30:00Z"}


def _temporal_kind(annotation: Any) -> type[date] | None:
    """`datetime` or `date` when the annotation is one of them, alone or with None."""
    for kind in (datetime, date):  # a datetime is a date: ask for it first
        if annotation is kind or kind in get_args(annotation):
            return kind
    return None


class QueryModel(BaseModel):
    """The base of every query-string model.

    flask-openapi3 asks a query model for its JSON Schema on every request (to tell list parameters from
    single ones), and pydantic builds that schema anew each time: about 2 ms, a fifth of a list request's CPU.
    It depends only on the class and the arguments, so it is built once and handed out as a copy, made by
    `marshal` (JSON's types only): a tenth of what `copy.deepcopy` costs (0.03 against 0.4 ms for trips' query).
    """

    @field_validator("*", mode="before")
    @classmethod
    def days_and_times_as_written_in_iso_8601(cls, value: Any, info: ValidationInfo) -> Any:
        """pydantic reads a number as a Unix time where a date or a date-time is expected (`?since=0` is 1 January
        1970); the document says `format: date` or `date-time`, so only those are taken."""
        kind = _temporal_kind(cls.model_fields[info.field_name].annotation) if info.field_name else None
        if kind is not None and isinstance(value, str) and not ISO_8601[kind].match(value):
            raise ValueError(f"a {kind.__name__} in ISO 8601 (e.g. {ISO_EXAMPLES[kind]})")
        return value

    @classmethod
    def model_json_schema(cls, *args, **kwargs) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        schema = _QUERY_SCHEMAS.get(key)
        if schema is None:
            schema = _QUERY_SCHEMAS[key] = marshal.dumps(super().model_json_schema(*args, **kwargs))
        return marshal.loads(schema)  # a copy: callers may change what they get


@cache
def sort_grammar(names: tuple[str, ...]) -> str:
    """What `sort` may say when these fields are sortable: one or more of them, comma-separated, each with a `-`
    for descending, e.g. `-starts_on,status`."""
    field = "|".join(re.escape(name) for name in names)
    return f"-?({field})(,-?({field}))*"


class PageQuery(QueryModel):
    """Pagination and sorting; services add their filters by subclassing, and name the fields `sort` may name in
    `sortable` (`sorted_by`): the OpenAPI document states them as a pattern, and `sort` is refused (422) otherwise."""

    model_config = ConfigDict(extra="forbid")
    sortable: ClassVar[tuple[str, ...]] = ()
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1: the page-number form, kept for "
                      "clients that need one; it costs more the deeper the page (the rows before it are read and "
                      "skipped, and `total` is counted exactly). Follow `next` instead")
    page_size: Annotated[int, AfterValidator(_clamp_page_size)] = Field(
        50, description=f"Items per page; values above {MAX_PAGE_SIZE} are clamped")
    sort: str | None = Field(None, description="Comma-separated fields, `-` for descending, e.g. `-created_at`")
    cursor: str | None = Field(None, max_length=MAX_CURSOR, pattern=CURSOR_PATTERN,
                               description="Where the page starts: the opaque value of the previous page's `next` "
                                           "link (which keeps the other parameters); not with `page`")
    total: Literal["exact"] | None = Field(None, description="`exact`: count every matching record for `total`; "
                                           f"by default it is counted up to {COUNT_LIMIT:,} and estimated beyond")

    @field_validator("sort")
    @classmethod
    def only_sortable_fields(cls, value: str | None) -> str | None:
        if value is not None and cls.sortable and not re.fullmatch(sort_grammar(cls.sortable), value):
            raise ValueError(f"sortable fields: {', '.join(cls.sortable)} (comma-separated, each with a `-` for "
                             "descending)")
        return value

    @field_validator("cursor")
    @classmethod
    def not_with_a_page_number(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and "page" in info.data and info.data["page"] != 1:
            raise ValueError("a cursor or a page number, not both")
        if value is not None:
            read_cursor(value)
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = handler.resolve_ref_schema(handler(core_schema))
        if cls.sortable:
            text = next(option for option in schema["properties"]["sort"]["anyOf"] if option["type"] == "string")
            text["pattern"] = f"^{sort_grammar(cls.sortable)}$"
        return schema


def sorted_by(query: type[Query], names: Iterable[str]) -> type[Query]:
    """`query` whose `sort` may name only these fields (a listing's sortable columns)."""
    namespace = {"__module__": query.__module__, "__qualname__": query.__qualname__, "__doc__": query.__doc__,
                 "sortable": tuple(names)}
    return cast(type[Query], types.new_class(query.__name__, (query,), exec_body=lambda body: body.update(namespace)))


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    page: int | None = Field(description="The page's number; null when it was reached by a cursor")
    page_size: int
    total: int = Field(description="How many records match: exact when `total_exact`, else an estimate")
    total_exact: bool = Field(description="Whether `total` was counted (`?total=exact`, the page-number form, or "
                                          f"at most {COUNT_LIMIT:,} records); false: on PostgreSQL the planner's "
                                          f"estimate, on SQLite a lower bound ({COUNT_LIMIT:,} and more)")
    next: str | None = Field(description="The next page (path and query, with its `cursor`), null on the last one")


class Items(BaseModel, Generic[Item]):
    """A short list answered whole, without pages."""

    items: list[Item]


def apply_sort(statement: Select, sort: str | None, columns: dict[str, Any], default: list[Any]) -> Select:
    """The statement ordered by `sort` (as the query, `sorted_by` these columns' names, took it), then `default`."""
    if not sort:
        return statement.order_by(*default)
    order = []
    for name in sort.split(","):
        column = columns[name.removeprefix("-")]
        order.append(column.desc() if name.startswith("-") else column.asc())
    return statement.order_by(*order, *default)


def where_set(statement: Select, model: Any, query: BaseModel, names: Iterable[str]) -> Select:
    """The statement narrowed to the records whose column equals each of these filters the query sets."""
    for name in names:
        value = getattr(query, name)
        if value is not None:
            statement = statement.where(getattr(model, name) == value)
    return statement


def paginate(session: Session, statement: Select, query: PageQuery, serialize: Callable[[Any], Any], *,
             page: Callable[[list[Any]], list[Any]] | None = None) -> dict:
    """A page of the statement's records (decision 0170): after the query's cursor (keyset: the sort's values and
    the id of the last record shown) or at its page number (OFFSET), with a link to the next page and a total that
    is counted only when cheap or asked for. Its items are `serialize(row)` of each row, or `page(rows)` of them all
    (to read their parts for the whole page at once)."""
    keys = keyset(statement)
    numbered = query.cursor is None and "page" in query.model_fields_set
    chosen = statement.limit(query.page_size + 1)
    if query.cursor is not None:
        chosen = chosen.where(_after(_position(query, keys), _nulls_high(session)))
    elif numbered:
        chosen = chosen.offset((query.page - 1) * query.page_size)
    result = session.execute(chosen)
    described = statement.column_descriptions
    orm_entity = len(described) == 1 and described[0].get("entity") is not None
    rows = list(result.scalars() if orm_entity else result.mappings())
    more, rows = len(rows) > query.page_size, rows[:query.page_size]
    total, exact = _total(session, statement, query, len(rows), exact=numbered or query.total == "exact")
    following = None
    if more and keys is None:
        following = _link(page=query.page + 1)
    elif more and keys is not None:
        following = _link(cursor=_cursor(query.sort, [_value(rows[-1], column, orm_entity) for column, _ in keys]))
    items = page(rows) if page is not None else [serialize(row) for row in rows]
    return {"items": items, "page": None if query.cursor else query.page,
            "page_size": query.page_size, "total": total, "total_exact": exact, "next": following}


def page_of_items(items: list[Any], query: PageQuery | None = None) -> dict:
    """A page of a list already in memory (a small vocabulary, a record's parts), numbered; without a query, the
    whole list as its only page."""
    if query is None:
        return {"items": items, "page": 1, "page_size": len(items), "total": len(items), "total_exact": True,
                "next": None}
    start = (query.page - 1) * query.page_size
    more = len(items) > start + query.page_size
    return {"items": items[start:start + query.page_size], "page": query.page, "page_size": query.page_size,
            "total": len(items), "total_exact": True, "next": _link(page=query.page + 1) if more else None}


# --- keyset paging: the cursor, and where a page starts ---

Key = tuple[Any, bool]  # a column the statement is ordered by, and whether descending


def keyset(statement: Select) -> list[Key] | None:
    """The statement's order as columns, if it can be paged by keys: plain columns ending with a primary key
    (every listing's order ends with the id), else None (paged by number)."""
    keys: list[Key] = []
    for clause in statement._order_by_clauses:
        descending = isinstance(clause, UnaryExpression) and clause.modifier is operators.desc_op
        column = clause.element if isinstance(clause, UnaryExpression) else clause
        if not isinstance(column, ColumnElement) or not hasattr(column, "table") or not hasattr(column, "key"):
            return None
        keys.append((column, descending))
    return keys if keys and getattr(keys[-1][0], "primary_key", False) else None


def _encoded(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


READERS: dict[str, Callable[[str], Any]] = {"t": datetime.fromisoformat, "d": date.fromisoformat, "n": Decimal}


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        (kind, written), = value.items()
        return READERS[kind](written)
    return value


def _cursor(sort: str | None, values: list[Any]) -> str:
    written = json.dumps({"s": sort or "", "v": [_encoded(value) for value in values]}, separators=(",", ":"),
                         default=str)
    return base64.urlsafe_b64encode(written.encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[str, list[Any]]:
    """A cursor's sort and values; ValueError when it is not one this API made."""
    try:
        read = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values = [_decoded(value) for value in read["v"]]
        if not isinstance(read["s"], str) or not values:
            raise ValueError
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError) as error:
        raise ValueError("not a cursor of this list: follow the `next` link") from error
    return read["s"], values


def _position(query: PageQuery, keys: list[Key] | None) -> list[tuple[Key, Any]]:
    """The keys of the query's order, each with the cursor's value."""
    sort, values = read_cursor(query.cursor or "")
    if keys is None or sort != (query.sort or "") or len(values) != len(keys) or not all(
            _fits(column, value) for (column, _), value in zip(keys, values, strict=True)):
        raise Problem("validation", errors=[{"field": "cursor", "message": "made for another list or order: "
                                             "follow the `next` link"}])
    return list(zip(keys, values, strict=True))


def _fits(column: Any, value: Any) -> bool:
    """Whether a cursor's value is of its column's type (a forged cursor must not reach the database)."""
    if value is None:
        return bool(getattr(column, "nullable", True))
    try:
        expected = column.type.python_type
    except NotImplementedError:
        return isinstance(value, str | int | float)
    if expected is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, expected)


def _nulls_high(session: Session) -> bool:
    """Whether the database sorts NULL after every value (PostgreSQL) or before (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def _after(position: list[tuple[Key, Any]], nulls_high: bool) -> Any:
    """The records after `position` (each key of the order with its value): for each key, those equal on the
    keys before it and beyond it on this one; led by a range on the first key, which an index can seek to."""
    beyond = [and_(*(_equal(column, value) for (column, _), value in position[:i]),
                   _beyond(column, descending, start, nulls_high))
              for i, ((column, descending), start) in enumerate(position)]
    (first, descending), start = position[0]
    if start is None or getattr(first, "nullable", True):
        return or_(*beyond)
    return and_(first <= start if descending else first >= start, or_(*beyond))


def _equal(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value


def _beyond(column: Any, descending: bool, value: Any, nulls_high: bool) -> Any:
    nulls_after = nulls_high != descending  # NULLs come after every value in this direction
    if value is None:
        return column.is_not(None) if not nulls_after else false()
    later = column < value if descending else column > value
    return or_(later, column.is_(None)) if nulls_after and getattr(column, "nullable", True) else later


def _value(row: Any, column: Any, orm_entity: bool) -> Any:
    """The value of `column` in a row of the page: an ORM record's attribute, or a column of a row of several."""
    if orm_entity:
        return getattr(row, inspect(row).mapper.get_property_by_column(column).key)
    if column in row:
        return row[column]
    for item in row.values():
        mapper = inspect(item, raiseerr=False)
        if mapper is not None and hasattr(mapper, "mapper") and column.table in mapper.mapper.tables:
            return getattr(item, mapper.mapper.get_property_by_column(column).key)
    raise LookupError(f"{column} is not in the page's rows")


def _link(**changes: Any) -> str:
    """This request's path and query with `changes` (and the other of page and cursor left out)."""
    arguments = {name: values for name, values in request.args.lists() if name not in ("page", "cursor")}
    arguments.update({name: [str(value)] for name, value in changes.items()})
    return f"{request.path}?{urlencode(arguments, doseq=True)}"


# --- the total ---

def _total(session: Session, statement: Select, query: PageQuery, shown: int, *, exact: bool) -> tuple[int, bool]:
    """`total` and whether it is exact: counted when asked (or paged by number), known when the first page is
    the last, else counted up to COUNT_LIMIT and estimated above it."""
    unordered = statement.order_by(None)
    if exact:
        return session.execute(select(func.count()).select_from(unordered.subquery())).scalar_one(), True
    if query.cursor is None and shown < query.page_size:
        return shown, True
    first: Select = unordered.with_only_columns(literal_column("1"), maintain_column_froms=True).limit(COUNT_LIMIT + 1)
    counted = session.execute(select(func.count()).select_from(first.subquery())).scalar_one()
    if counted <= COUNT_LIMIT:
        return counted, True
    return max(counted, _planned_rows(session, unordered)), False


def _planned_rows(session: Session, statement: Select) -> int:
    """PostgreSQL's estimate of the rows a statement returns (its plan's, from the table statistics); 0 elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        return 0
    compiled = statement.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    return int(plan[0]["Plan"]["Plan Rows"])


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json")
    response = Response(json.dumps(body, ensure_ascii=False, default=str), status=status,
                        mimetype="application/json")
    response.headers.update(headers or {})
    return response


def inline_file(filename: str) -> str:
    """`Content-Disposition` of a file shown inline: an ASCII fallback and the exact name (RFC 6266), so that no
    name someone typed (a quote, a control character, Cyrillic) can break the header."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='', errors='replace')}"


def etag(version: int) -> str:
    return f'"{version}"'


def require_fresh(version: int) -> None:
    """412 when the client's If-Match names another version of the record."""
    expected = request.headers.get("If-Match")
    if expected is None or expected.strip() == "*":
        return
    candidates = {tag.strip().removeprefix("W/") for tag in expected.split(",")}
    if etag(version) not in candidates:
        raise Problem("stale-write", f"Current version is {etag(version)}; reload and retry",
                      headers={"ETag": etag(version)})


# --- Idempotency-Key ---

def _fingerprint() -> str:
    return hashlib.sha256(request.method.encode() + request.path.encode() + request.get_data()).hexdigest()


def _stored(actor: str, key: str) -> dict | None:
    table = runtime().spec.tables.idempotency
    with runtime().database.read_session() as session:
        row = session.execute(select(table).where(table.c.actor == actor, table.c.key == key)).mappings().first()
    return dict(row) if row else None


def _replay(stored: dict) -> Response:
    if stored["fingerprint"] != _fingerprint():
        raise Problem("idempotency-key-reused", "This key was used for a different request",
                      errors=[{"field": "Idempotency-Key", "message": "already used with another body"}])
    response = Response(stored["body"], status=stored["status_code"], mimetype="application/json")
    response.headers.update(stored["headers"])
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable) -> Callable:
    """Honour an Idempotency-Key on a creating POST: the same key and body answer the first response again."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return view(*args, **kwargs)
        if len(key) > 200:
            raise Problem("validation", errors=[{"field": "Idempotency-Key", "message": "at most 200 characters"}])
        stored = _stored(g.principal.subject, key)
        if stored:
            return _replay(stored)
        g.idempotency = (key, _fingerprint())
        try:
            return view(*args, **kwargs)
        except IntegrityError:
            stored = _stored(g.principal.subject, key)  # a concurrent twin committed first
            if stored:
                return _replay(stored)
            raise
    return wrapper


def created(uow: UnitOfWork, body: Any, location: str, version: int) -> Response:
    """The 201 answer to a creation, remembered under the request's Idempotency-Key in the same transaction."""
    headers = {"Location": location, "ETag": etag(version)}
    response = json_response(body, 201, headers)
    idempotency = g.get("idempotency")
    if idempotency:
        key, fingerprint = idempotency
        uow.session.execute(insert(runtime().spec.tables.idempotency).values(
            actor=uow.actor, key=key, fingerprint=fingerprint, status_code=201,
            body=response.get_data(as_text=True), headers=headers, created_at=utcnow()))
    return response
