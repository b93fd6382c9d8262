"""Generic resource views (decision 0101): a record type the API shows is declared once as a `Resource` (its
blueprint, collection path, model, response schema, who reads and who writes), and each of its usual endpoints is
one call that names the view, its summary, its request models and the operation it calls:

    VISITS = Resource(visits_api, "/visits", "visit_id", Visit, VisitOut, READERS, WRITERS)
    VISITS.create("create_visit", "Register an incoming visit", VisitCreate, fields(operations.create_visit))
    VISITS.listing("list_visits", "List visits", VisitQuery, filters=("status",), sortable=("starts_on",))

Every view parses (flask-openapi3 validates the path, query and body models named here), calls one operation
or reads with one statement, and answers as a written-out view would: the same endpoint name, operation id,
summary, responses, roles, Idempotency-Key handling, ETag and Location. What a declaration cannot say stays a
view written by hand beside it.

All the work of a declaration happens once, at import: a request runs one small function and the operation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, request
from flask_openapi3 import Tag
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from shared import db
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, action_body, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate, sorted_by
from shared.http.work import read_only, unit_of_work
from shared.kit.lifecycle import Lifecycle
from shared.uow import UnitOfWork

Call = Callable[[UnitOfWork, tuple[str, ...], Any], Any]  # (uow, the path's ids, the body) → the record
Narrow = Callable[[Select, Any], Select]


def blueprint(name: str, import_name: str, description: str, *, tag: str | None = None) -> LazyDocBlueprint:
    """A blueprint of a service's API under /api/v1: bearer tokens, the problems every endpoint may answer, and
    its OpenAPI tag (by default its name)."""
    return LazyDocBlueprint(name, import_name, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                            abp_responses=problem_responses(401, 403, 422),
                            abp_tags=[Tag(name=tag or name, description=description)])


def id_path(name: str, *keys: str, parent: type[BaseModel] = BaseModel) -> type[BaseModel]:
    """The path model `name` of an item: the ids of its parents (`parent`'s fields, then the first `keys`), then
    its own, the last key; each an id of at most 36 characters."""
    ids: dict[str, Any] = {key: (str, Field(max_length=36)) for key in keys}
    return create_model(name, __base__=parent, **ids)


def fields(operation: Callable[..., Any]) -> Call:
    """Call `operation(uow, *ids, values, audited)` with the body's fields, as Python values and as JSON."""
    return lambda uow, ids, body: operation(uow, *ids, body.model_dump(), body.model_dump(mode="json"))


def changes(operation: Callable[..., Any]) -> Call:
    """Call `operation(uow, *ids, changes, audited, expected_versions)` with the fields the body sets."""
    return lambda uow, ids, body: operation(uow, *ids, body.model_dump(exclude_unset=True),
                                            body.model_dump(mode="json", exclude_unset=True), if_match())


def acting(operation: Callable[..., Any], *names: str) -> Call:
    """Call `operation(uow, *ids, *values, audited, expected_versions)` with the values of the body's `names`."""
    return lambda uow, ids, body: operation(uow, *ids, *(getattr(body, name) for name in names),
                                            body.model_dump(mode="json"), if_match())


def versioned(operation: Callable[..., Any]) -> Call:
    """Call `operation(uow, *ids, expected_versions)`: an action without a body."""
    return lambda uow, ids, body: operation(uow, *ids, if_match())


def _view(name: str, handle: Callable[..., Response], **models: type[BaseModel] | None) -> Callable[..., Response]:
    """A view named `name` whose parameters flask-openapi3 reads as `models` (path, query, body)."""
    def view(**parsed: Any) -> Response:
        return handle(**parsed)
    view.__name__ = view.__qualname__ = name
    view.__annotations__ = {kind: model for kind, model in models.items() if model is not None}
    return view


@dataclass(frozen=True)
class Resource:
    """A record type as the API shows it: `collection` is its path under /api/v1 (with the parents' ids, e.g.
    "/visits/<visit_id>/gifts"), `key` the name of its own id in the item's path."""

    api: LazyDocBlueprint
    collection: str
    key: str
    model: Any  # the store's mapped class
    out: type[BaseModel]
    readers: tuple[str, ...]
    writers: tuple[str, ...]
    serialize: Callable[[Any], dict[str, Any]] | None = None
    listed: Callable[[Any], dict[str, Any]] | None = None  # a record in a list, if not as `serialize` shows it
    label: str = ""  # the record's name in summaries and a 404; by default the key's, e.g. "plan line"
    home: str = ""  # where the items live when not under the collection, e.g. "/auctions"

    @property
    def item(self) -> str:
        return f"{self.home or self.collection}/<{self.key}>"

    @property
    def name(self) -> str:
        return self.label or self.key.removesuffix("_id").replace("_", " ")

    @property
    def noun(self) -> str:
        """The record's name in view names, e.g. `plan_line` in `approve_plan_line`."""
        return self.name.replace(" ", "_")

    def data(self, record: Any) -> dict[str, Any]:
        if self.serialize is not None:
            return self.serialize(record)
        return self.out.model_validate(record).model_dump(mode="json")

    def rows(self, session: Session, rows: list[Any]) -> list[dict[str, Any]]:
        """A page's items from the table's rows, each shown as a record is in a list: the `page` of a listing whose
        records' answer is their own columns (no relationship or property of the mapped class)."""
        show = self.listed or self.data
        return [show(db.row_as_record(row)) for row in rows]

    def find(self, session: Session, *ids: str, **parents: Any) -> Any:
        """The record with the last of `ids` (under `parents`), or 404: also a listing's check of its parent."""
        return db.find(session, self.model, ids[-1], self.name, **parents)

    def answer(self, record: Any) -> Response:
        return record_response(self.data(record), record.version)

    def route(self, method: str, rule: str, name: str, summary: str, responses: dict[Any, Any],
              roles: tuple[str, ...], handle: Callable[..., Response], *, once: bool = False,
              **models: type[BaseModel] | None) -> None:
        """Add one view: `handle(path=…, query=…, body=…)` answers the request; `once`: honour Idempotency-Key."""
        view = _view(name, handle, **models)
        if once:
            view = idempotent(view)
        getattr(self.api, method)(rule, summary=summary, responses=responses)(allow(*roles)(view))

    # --- the usual endpoints ---

    def create(self, name: str, summary: str, body: type[BaseModel], call: Call, *,
               path: type[BaseModel] | None = None, problems: Sequence[int] = ()) -> None:
        """POST the collection: the operation's new record, 201 with its Location and ETag; Idempotency-Key."""
        ids = _ids(path)

        def handle(body: BaseModel, path: BaseModel | None = None) -> Response:
            with unit_of_work() as uow:
                record = call(uow, ids(path), body)
                where = f"/api/v1{self.home}/{record.id}" if self.home else f"{request.path}/{record.id}"
                # a record never changed once written keeps no version: its ETag is 1
                return created(uow, self.data(record), where, getattr(record, "version", 1))

        self.route("post", self.collection, name, summary,
                   {201: self.out, **problem_responses(*problems, *BODY_PROBLEMS)}, self.writers, handle,
                   once=True, path=path, body=body)

    def listing(self, name: str, summary: str, query: type[PageQuery], *, path: type[BaseModel] | None = None,
                parent: Callable[..., Any] | None = None, filters: Iterable[str] = (),
                sortable: Iterable[str] = (), order: Iterable[str] = (), narrow: Sequence[Narrow] = (),
                at: str | None = None, page: Callable[[Session, list[Any]], list[dict[str, Any]]] | None = None,
                ) -> None:
        """GET the collection a page at a time: the records under the path's parents, those whose column equals
        each filter the query sets, narrowed further by each of `narrow`; sorted by the query's `sort` among `sortable`
        (the query model states them, `sorted_by`), else by `order` (a `-` for descending), then the id in the
        direction of `order`'s last field (so that one index on those fields and the id serves the page).
        `parent(session, *ids)` refuses an unknown parent; `at` lists them at another path, e.g. every visit's gifts
        at "/gifts". `page(session, rows)`: the records are read as the table's rows (Core, no ORM objects) and this
        answers a page's items from them, reading their parts once for the page (`shared.db.grouped`)."""
        sortable = tuple(sortable)
        query = sorted_by(query, sortable) if sortable else query
        ids, statement = _ids(path), self.statement(path, filters, sortable, order, rows=page is not None)
        withholdable = issubclass(self.model, db.Withholdable)

        def handle(query: PageQuery, path: BaseModel | None = None) -> Response:
            chosen = statement(query, path)
            for narrowed in narrow:
                chosen = narrowed(chosen, query)
            with read_only() as session:
                if parent is not None and path is not None:
                    parent(session, *ids(path))
                if withholdable:
                    chosen = chosen.where(db.visible_to(self.model, db.viewer_of(session)))
                whole = (lambda rows: page(session, rows)) if page is not None else None
                return json_response(paginate(session, chosen, query, self.listed or self.data, page=whole))

        answered = Page[self.out]  # type: ignore[name-defined]  # a model chosen at run time
        answers = problem_responses(*((404,) if path else ()))
        self.route("get", at or self.collection, name, summary, {200: answered, **answers}, self.readers, handle,
                   path=path, query=query)

    def statement(self, path: type[BaseModel] | None, filters: Iterable[str], sortable: Iterable[str],
                  order: Iterable[str], *, rows: bool = False) -> Callable[[PageQuery, BaseModel | None], Select]:
        """Build a listing's statement from the query and path: the columns are looked up here, once. `rows`: it
        selects the table's columns rather than the mapped class."""
        model = self.model
        selected = model.__table__ if rows else model
        scoped = [getattr(model, key) for key in (path.model_fields if path else ())]
        filtered = [(name, getattr(model, name)) for name in filters]
        columns = {name: getattr(model, name) for name in sortable}
        order = tuple(order)
        default = [getattr(model, name.lstrip("-")).desc() if name.startswith("-") else getattr(model, name)
                   for name in order] + [model.id.desc() if order and order[-1].startswith("-") else model.id]
        ids = _ids(path)

        def build(query: PageQuery, path: BaseModel | None) -> Select:
            chosen: Select = select(selected)
            for column, value in zip(scoped, ids(path), strict=True):
                chosen = chosen.where(column == value)
            for name, column in filtered:
                value = getattr(query, name)
                if value is not None:
                    chosen = chosen.where(column == value)
            return apply_sort(chosen, query.sort, columns, default)
        return build

    def read(self, name: str, summary: str, path: type[BaseModel], *,
             lookup: Callable[..., Any] | None = None, answer: Callable[[Any], Response] | None = None) -> None:
        """GET an item with its ETag; `lookup(session, *ids)` (by default by its own id, under the parents the path
        names) refuses what the caller may not see; `answer(record)` answers otherwise than `self.answer`."""
        ids, parent_keys = _ids(path), tuple(path.model_fields)[:-1]
        look_up: Callable[..., Any] = lookup or (
            lambda session, *keys: self.find(session, *keys, **dict(zip(parent_keys, keys, strict=False))))

        def handle(path: BaseModel) -> Response:
            with read_only() as session:
                return (answer or self.answer)(look_up(session, *ids(path)))

        self.route("get", self.item, name, summary, {200: self.out, **problem_responses(404)}, self.readers, handle,
                   path=path)

    def change(self, name: str, summary: str, path: type[BaseModel], body: type[BaseModel], call: Call, *,
               problems: Sequence[int] = (404, 412)) -> None:
        """PATCH an item (If-Match): the operation's changed record with its new ETag."""
        self.write("patch", self.item, name, summary, call, path=path, body=body, problems=problems)

    def act(self, action: str, name: str, summary: str, path: type[BaseModel], call: Call, *,
            body: type[BaseModel] | None = None, problems: Sequence[int] = (404, 409, 412),
            method: str = "post", roles: tuple[str, ...] | None = None) -> None:
        """POST (or `method`) `<item>/<action>`: the record as the operation leaves it."""
        self.write(method, f"{self.item}/{action}", name, summary, call, path=path, body=body, problems=problems,
                   roles=roles)

    def write(self, method: str, rule: str, name: str, summary: str, call: Call, *, path: type[BaseModel],
              body: type[BaseModel] | None, problems: Sequence[int], roles: tuple[str, ...] | None = None) -> None:
        ids = _ids(path)

        def handle(path: BaseModel, body: BaseModel | None = None) -> Response:
            with unit_of_work() as uow:
                return self.answer(call(uow, ids(path), body))

        answers = problem_responses(*problems, *(BODY_PROBLEMS if body else ()))
        self.route(method, rule, name, summary, {200: self.out, **answers}, roles or self.writers, handle,
                   path=path, body=body)

    def transitions(self, path: type[BaseModel], move: Callable[..., Any], lifecycle: Lifecycle,
                    summaries: Mapping[str, str] | None = None, *, actions: Iterable[str] | None = None,
                    body: type[BaseModel] = TransitionRequest, roles: tuple[str, ...] | None = None) -> None:
        """`POST <item>/<action>` for each of the lifecycle's actions (or those of `actions`): `move(uow, *ids,
        action, reason, expected)` with the body's reason (required by the actions that require one, `action_body`);
        409 naming the allowed actions when the record's status has not this one."""
        for action in lifecycle.transitions if actions is None else actions:
            summary = (summaries or {}).get(action) or f"{action.capitalize()} a {self.name}"
            self.act(action, f"{action.replace('-', '_')}_{self.noun}", summary, path, _moving(move, action),
                     body=action_body(lifecycle, action, body), roles=roles)

    def remove(self, name: str, summary: str, path: type[BaseModel], call: Call, *,
               problems: Sequence[int] = (404, 412), gone: Callable[[], Response] = lambda: Response(status=204),
               ) -> None:
        """DELETE an item (If-Match): 204, as `gone()` answers it."""
        ids = _ids(path)

        def handle(path: BaseModel) -> Response:
            with unit_of_work() as uow:
                call(uow, ids(path), None)
            return gone()

        self.route("delete", self.item, name, summary, {204: None, **problem_responses(*problems)}, self.writers,
                   handle, path=path)


def within(column: Any, low: str, high: str) -> Narrow:
    """Narrow a listing to the records whose `column` lies between the query's `low` and `high` (each if set)."""
    def narrow(statement: Select, query: Any) -> Select:
        if getattr(query, low) is not None:
            statement = statement.where(column >= getattr(query, low))
        if getattr(query, high) is not None:
            statement = statement.where(column <= getattr(query, high))
        return statement
    return narrow


def _moving(move: Callable[..., Any], action: str) -> Call:
    return lambda uow, ids, body: move(uow, *ids, action, body.reason, if_match())


def _ids(path: type[BaseModel] | None) -> Callable[[BaseModel | None], tuple[str, ...]]:
    """The path's ids in the order the URL names them."""
    names = tuple(path.model_fields) if path else ()
    return lambda parsed: tuple(getattr(parsed, name) for name in names)
