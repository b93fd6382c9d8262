"""What every resource endpoint needs: pages, sorting, ETags and If-Match, Idempotency-Key on creation."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import types
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import cache, wraps
from typing import Annotated, Any, ClassVar, Generic, TypeVar, cast, get_args
from urllib.parse import quote

from flask import Response, g, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic_core import CoreSchema
from sqlalchemy import Select, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.http.problems import Problem
from shared.http.work import runtime
from shared.uow import UnitOfWork

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps the offset within a 64-bit integer whatever the page size
Item = TypeVar("Item")
Query = TypeVar("Query", bound="PageQuery")


def _clamp_page_size(value: int) -> int:
    return min(max(value, 1), MAX_PAGE_SIZE)


_QUERY_SCHEMAS: dict[tuple, dict[str, Any]] = {}
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
    It depends only on the class and the arguments, so it is built once and handed out as a copy.
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
            schema = _QUERY_SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(schema)  # callers may change what they get


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
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    page_size: Annotated[int, AfterValidator(_clamp_page_size)] = Field(
        50, description=f"Items per page; values above {MAX_PAGE_SIZE} are clamped")
    sort: str | None = Field(None, description="Comma-separated fields, `-` for descending, e.g. `-created_at`")

    @field_validator("sort")
    @classmethod
    def only_sortable_fields(cls, value: str | None) -> str | None:
        if value is not None and cls.sortable and not re.fullmatch(sort_grammar(cls.sortable), value):
            raise ValueError(f"sortable fields: {', '.join(cls.sortable)} (comma-separated, each with a `-` for "
                             "descending)")
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
    page: int
    page_size: int
    total: int


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


def paginate(session: Session, statement: Select, query: PageQuery, serialize: Callable[[Any], Any]) -> dict:
    total = session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    result = session.execute(statement.limit(query.page_size).offset((query.page - 1) * query.page_size))
    described = statement.column_descriptions
    orm_entity = len(described) == 1 and described[0].get("entity") is not None
    rows = result.scalars() if orm_entity else result.mappings()
    return {"items": [serialize(row) for row in rows], "page": query.page, "page_size": query.page_size,
            "total": total}


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
