"""The endpoints every register has (`operations/registers.py`): create (POST, Idempotency-Key), list (filters
named like columns, `q` on the name, sort, pages), read, change (PATCH with If-Match), where the record may be
removed DELETE (If-Match) and, where it has a lifecycle, one POST per action (409 naming the allowed ones).

A record's personal fields (a contact's e-mail and phone) are masked in lists and for roles that may not read
personal data, and an unmasked read is audited (decision 0045).

No `from __future__ import annotations` here: each view's parameters are typed with its resource's own models,
evaluated when the view is made, which is what flask-openapi3 reads to parse requests and document them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Response
from flask_openapi3 import APIBlueprint
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, func, select

from services.outreach.api.common import READERS, WRITERS, as_caller_may_see, masked, personal_record_response
from services.outreach.events.fields import Reason
from services.outreach.operations import registers as operations
from services.outreach.operations.registers import Register
from shared.db import find
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, idempotent, json_response, paginate
from shared.http.work import read_only, unit_of_work
from shared.kit.lifecycle import Lifecycle


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def no_body_means_no_reason(cls, data: Any) -> Any:
        return {} if data is None else data

    reason: Reason | None = Field(None, description="Why; required for some actions")


@dataclass(frozen=True)
class Resource:
    """A register as the API shows it: its path, bodies, filters and order, and which fields are personal."""

    register: Register
    path: str  # the collection's path under /api/v1, e.g. "missions"
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    query: type[PageQuery]
    path_model: type[BaseModel]
    sortable: tuple[str, ...]
    default_order: tuple[str, ...]
    required: tuple[str, ...] = ()  # fields a PATCH may not clear
    search: str | None = None  # the column `q` searches, case-insensitive
    personal: tuple[str, ...] = ()  # masked, audited when read unmasked
    removable: bool = False  # DELETE, announced as `<record>.removed`

    @property
    def record(self) -> str:
        return self.register.record

    @property
    def lifecycle(self) -> Lifecycle | None:
        return self.register.lifecycle

    @property
    def created_action(self) -> str:
        return self.register.created_action

    @property
    def label(self) -> str:
        return self.register.label


def column_values(resource: Resource, body: BaseModel, fields: set[str]) -> dict[str, Any]:
    """The body's fields as the model stores them: dates as dates, lists as JSON, amounts as exact strings."""
    plain, as_json = body.model_dump(include=fields), body.model_dump(mode="json", include=fields)
    columns = resource.register.model.__table__.columns
    values = {}
    for name in fields:
        value = plain[name]
        if isinstance(columns[name].type, JSON):
            value = as_json[name]
        elif isinstance(value, Decimal):
            value = f"{value:.2f}"
        values[name] = value
    return values


def serializer(resource: Resource) -> Callable[[Any], dict[str, Any]]:
    lifecycle = resource.lifecycle
    shown = [name for name in resource.out.model_fields if name != "allowed_actions"]

    def serialize(record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in shown}
        if lifecycle:
            values["allowed_actions"] = lifecycle.allowed_actions(record.status)
        return resource.out.model_validate(values).model_dump(mode="json")
    return serialize


def collection_statement(resource: Resource, query: PageQuery) -> Any:
    model = resource.register.model
    statement = select(model)
    for column in set(type(query).model_fields) - set(PageQuery.model_fields) - {"q"}:
        value = getattr(query, column)
        if value is not None:
            statement = statement.where(getattr(model, column) == value)
    searched = getattr(query, "q", None)
    if resource.search and searched:
        statement = statement.where(func.lower(getattr(model, resource.search)).contains(searched.lower(),
                                                                                         autoescape=True))
    sortable = {column: getattr(model, column) for column in resource.sortable}
    default = [getattr(model, column) for column in resource.default_order] + [model.id]
    return apply_sort(statement, query.sort, sortable, default)


def register(blueprint: APIBlueprint, resource: Resource) -> None:
    """Give the register its endpoints on `blueprint`, named `<verb>_<record>` as their operation ids."""
    entries, serialize = resource.register, serializer(resource)
    Create, Update, Query, Path = resource.create, resource.update, resource.query, resource.path_model
    collection, item = f"/{resource.path}", f"/{resource.path}/<record_id>"
    name = resource.record.replace("-", "_")

    def create(body: Create):
        values = column_values(resource, body, set(type(body).model_fields))
        with unit_of_work() as uow:
            record = operations.add_entry(uow, entries, values, body.model_dump(mode="json"))
            return created(uow, as_caller_may_see(serialize(record), resource.personal),
                           f"/api/v1/{resource.path}/{record.id}", record.version)

    def list_records(query: Query):
        with read_only() as session:
            return json_response(paginate(session, collection_statement(resource, query), query,
                                          lambda record: masked(serialize(record), resource.personal, False)))

    def read(path: Path):
        with read_only() as session:
            record = find(session, entries.model, path.record_id, entries.label)
            if resource.personal:
                return personal_record_response(serialize(record), record.version, resource.record,
                                                resource.personal)
            return record_response(serialize(record), record.version)

    def change(path: Path, body: Update):
        values = column_values(resource, body, body.model_fields_set)
        with unit_of_work() as uow:
            record = operations.change_entry(uow, entries, path.record_id, values,
                                             body.model_dump(mode="json", exclude_unset=True), resource.required,
                                             if_match())
            return record_response(as_caller_may_see(serialize(record), resource.personal), record.version)

    def remove(path: Path):
        with unit_of_work() as uow:
            operations.remove_entry(uow, entries, path.record_id, if_match())
        return Response(status=204)

    def action_view(action: str) -> Callable[..., Response]:
        def transition(path: Path, body: ActionBody):
            with unit_of_work() as uow:
                record = operations.move_entry(uow, entries, path.record_id, action, body.reason, if_match())
                return record_response(serialize(record), record.version)
        transition.__name__ = f"{action}_{name}"
        return transition

    for view, verb in ((create, "create"), (list_records, "list"), (read, "read"), (change, "change"),
                       (remove, "remove")):
        view.__name__ = f"{verb}_{name}"
    blueprint.post(collection, summary=f"Register a {resource.label}",
                   responses={201: resource.out, **problem_responses(*BODY_PROBLEMS)})(
        allow(*WRITERS)(idempotent(create)))
    blueprint.get(collection, summary=f"List {resource.label}s", responses={200: Page[resource.out]})(
        allow(*READERS)(list_records))
    blueprint.get(item, summary=f"Read a {resource.label}", responses={200: resource.out, **problem_responses(404)})(
        allow(*READERS)(read))
    blueprint.patch(item, summary=f"Change a {resource.label} (send If-Match)",
                    responses={200: resource.out, **problem_responses(404, 412, *BODY_PROBLEMS)})(
        allow(*WRITERS)(change))
    if resource.removable:
        blueprint.delete(item, summary=f"Remove a {resource.label} (send If-Match)",
                         responses={204: None, **problem_responses(404, 412)})(allow(*WRITERS)(remove))
    for action in resource.lifecycle.transitions if resource.lifecycle else ():
        blueprint.post(f"{item}/{action}", summary=f"{action.capitalize()} a {resource.label} (send If-Match)",
                       responses={200: resource.out, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
            allow(*WRITERS)(action_view(action)))
