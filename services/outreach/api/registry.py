"""Compact resources (missions, organisations, offices abroad, compatriot programmes, societies, export
promotion): each is declared once as a `Resource`, and `register` gives it the endpoints every record has.

Create (POST, Idempotency-Key), list (filters named like columns, `q` on the name, sort, pages), read,
change (PATCH with If-Match), where the record may be removed DELETE (If-Match) and, where the record has a
lifecycle, one POST per action (409 naming the allowed ones). Each change writes the record, its event
`chancery.outreach.<record>.<action>.v1` and its audit record in one transaction. A record's `personal`
fields (a contact's e-mail and phone) are masked in lists and for roles that may not read personal data; an
unmasked read is audited; events never carry them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Response
from flask_openapi3 import APIBlueprint
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from sqlalchemy import JSON, func, select
from sqlalchemy.orm import Session

from services.outreach.api.common import (
    BODY_PROBLEMS,
    READERS,
    WRITERS,
    apply_changes,
    as_caller_may_see,
    conflict,
    find,
    invalid,
    masked,
    personal_record_response,
    record_change,
    record_response,
)
from services.outreach.api.fields import Reason, RecordId
from services.outreach.domain.lifecycle import IllegalTransition, MissingReason, Transitions, allowed, next_state
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.resources import (
    Page,
    PageQuery,
    apply_sort,
    created,
    idempotent,
    json_response,
    paginate,
    require_fresh,
)
from shared.http.work import read_only, unit_of_work


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def no_body_means_no_reason(cls, data):
        return {} if data is None else data

    reason: Reason | None = Field(None, description="Why; required for some actions")


@dataclass(frozen=True)
class Lifecycle:
    transitions: Transitions
    event_action: dict[str, str]
    reason_required: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Resource:
    record: str  # the event's record name, e.g. "mission"
    label: str  # how a person names one, e.g. "foreign mission"
    path: str  # the collection's path under /api/v1, e.g. "missions"
    model: type
    create: type[BaseModel]
    update: type[BaseModel]
    out: type[BaseModel]
    query: type[PageQuery]
    event_fields: tuple[str, ...]
    sortable: tuple[str, ...]
    default_order: tuple[str, ...]
    required: tuple[str, ...] = ()  # fields a PATCH may not clear
    search: str | None = None  # the column `q` searches, case-insensitive
    references: dict[str, type] = field(default_factory=dict)  # field -> model its id must name
    check: Callable[[Any], tuple[str, str] | None] | None = None  # (field, message) when the record is wrong
    lifecycle: Lifecycle | None = None
    initial_status: str | None = None
    personal: tuple[str, ...] = ()  # personal data: masked, audited when read, never in events
    private: tuple[str, ...] = ()  # shown unmasked, but kept out of events and audit records (a person's name)
    removable: bool = False  # DELETE, announced as `<record>.removed`
    created_action: str = "created"


def path_model(resource: Resource) -> type[BaseModel]:
    return create_model(f"{resource.model.__name__}Path", record_id=(RecordId, Field(description="The record's id")))


def column_values(resource: Resource, body: BaseModel, fields: set[str]) -> dict:
    """The body's fields as the model stores them: dates as dates, lists as JSON, amounts as exact strings."""
    plain, as_json = body.model_dump(include=fields), body.model_dump(mode="json", include=fields)
    columns = resource.model.__table__.columns
    values = {}
    for name in fields:
        value = plain[name]
        if isinstance(columns[name].type, JSON):
            value = as_json[name]
        elif isinstance(value, Decimal):
            value = f"{value:.2f}"
        values[name] = value
    return values


def check_references(session: Session, resource: Resource, values: dict) -> None:
    for name, model in resource.references.items():
        if values.get(name) is not None and session.get(model, values[name]) is None:
            raise invalid(name, f"no {model.__tablename__.replace('_', ' ').rstrip('s')} {values[name]}")


def check_record(resource: Resource, record: Any) -> None:
    problem = resource.check(record) if resource.check else None
    if problem:
        raise invalid(*problem)


def register(blueprint: APIBlueprint, resource: Resource) -> None:
    serialize = _serializer(resource)
    event_data = _event_data(resource, serialize)
    Path = path_model(resource)
    collection, item = f"/{resource.path}", f"/{resource.path}/<record_id>"
    name = resource.record.replace("-", "_")

    def create(body):
        values = column_values(resource, body, set(body.model_fields))
        with unit_of_work() as uow:
            check_references(uow.session, resource, values)
            extra = {"status": resource.initial_status} if resource.initial_status else {}
            record = resource.model(**values, **extra, version=1, created_by=uow.actor)
            check_record(resource, record)
            uow.session.add(record)
            action = resource.created_action if not resource.lifecycle else "submitted"
            record_change(uow, resource.record, action, record, event_data, audited(resource, body, partial=False))
            return created(uow, as_caller_may_see(serialize(record), resource.personal),
                           f"/api/v1/{resource.path}/{record.id}", record.version)

    def list_records(query):
        statement = select(resource.model)
        for column in set(query.model_fields) - set(PageQuery.model_fields) - {"q"}:
            value = getattr(query, column)
            if value is not None:
                statement = statement.where(getattr(resource.model, column) == value)
        if resource.search and getattr(query, "q", None):
            statement = statement.where(func.lower(getattr(resource.model, resource.search)).contains(
                query.q.lower(), autoescape=True))
        sortable = {column: getattr(resource.model, column) for column in resource.sortable}
        default = [getattr(resource.model, column) for column in resource.default_order] + [resource.model.id]
        statement = apply_sort(statement, query.sort, sortable, default)
        with read_only() as session:
            return json_response(paginate(session, statement, query,
                                          lambda record: masked(serialize(record), resource.personal, False)))

    def read(path):
        with read_only() as session:
            record = find(session, resource.model, path.record_id, resource.label)
            if resource.personal:
                return personal_record_response(serialize(record), record.version, resource.record,
                                                resource.personal)
            return record_response(serialize(record), record.version)

    def change(path, body):
        changes = body.model_dump(exclude_unset=True)
        for column in resource.required:
            if column in changes and changes[column] is None:
                raise invalid(column, f"{column} cannot be cleared")
        values = column_values(resource, body, set(changes))
        with unit_of_work() as uow:
            record = find(uow.session, resource.model, path.record_id, resource.label)
            require_fresh(record.version)
            if values:
                check_references(uow.session, resource, values)
                apply_changes(record, values)
                check_record(resource, record)
                record_change(uow, resource.record, "updated", record, event_data,
                              audited(resource, body, partial=True))
            return record_response(as_caller_may_see(serialize(record), resource.personal), record.version)

    def remove(path):
        with unit_of_work() as uow:
            record = find(uow.session, resource.model, path.record_id, resource.label)
            require_fresh(record.version)
            data = event_data(record)
            uow.session.delete(record)
            record_change(uow, resource.record, "removed", record, lambda _: data, {})
            return Response(status=204)

    create.__annotations__ = {"body": resource.create}
    list_records.__annotations__ = {"query": resource.query}
    read.__annotations__ = {"path": Path}
    change.__annotations__ = {"path": Path, "body": resource.update}
    remove.__annotations__ = {"path": Path}
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
    if resource.lifecycle:
        for action in resource.lifecycle.transitions:
            view = _transition(resource, action, serialize, event_data)
            view.__annotations__ = {"path": Path, "body": ActionBody}
            view.__name__ = f"{action}_{name}"
            blueprint.post(f"{item}/{action}", summary=f"{action.capitalize()} a {resource.label} (send If-Match)",
                           responses={200: resource.out, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
                allow(*WRITERS)(view))


def audited(resource: Resource, body: BaseModel, partial: bool) -> dict:
    """What the audit record keeps of a request: its fields, but only the names of the personal ones."""
    values = body.model_dump(mode="json", exclude_unset=partial)
    hidden = {*resource.personal, *resource.private}
    personal = sorted(name for name in hidden if name in values)
    return {**{name: value for name, value in values.items() if name not in hidden},
            **({"personal_data": personal} if personal else {})}


def _serializer(resource: Resource) -> Callable[[Any], dict]:
    extras = {"allowed_actions"} if resource.lifecycle else set()

    def serialize(record: Any) -> dict:
        values = {column: getattr(record, column) for column in resource.out.model_fields if column not in extras}
        if resource.lifecycle:
            values["allowed_actions"] = allowed(resource.lifecycle.transitions, _status(resource, record))
        return resource.out.model_validate(values).model_dump(mode="json")
    return serialize


def _event_data(resource: Resource, serialize: Callable[[Any], dict]) -> Callable[[Any], dict]:
    def event_data(record: Any) -> dict:
        body = serialize(record)
        return {column: body[column] for column in resource.event_fields}
    return event_data


def _status(resource: Resource, record: Any):
    states = next(iter(resource.lifecycle.transitions.values()))[1].__class__
    return states(record.status)


def _transition(resource: Resource, action: str, serialize, event_data):
    lifecycle = resource.lifecycle

    def transition(path, body):
        with unit_of_work() as uow:
            record = find(uow.session, resource.model, path.record_id, resource.label)
            require_fresh(record.version)
            try:
                target = next_state(resource.label, lifecycle.transitions, _status(resource, record), action,
                                    body.reason, lifecycle.reason_required)
            except IllegalTransition as error:
                raise conflict(str(error), error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            previous = record.status
            record.status, record.status_reason, record.version = target.value, body.reason, record.version + 1
            record_change(uow, resource.record, lifecycle.event_action[action], record, event_data,
                          {"status": [previous, target.value], "reason": body.reason})
            return record_response(serialize(record), record.version)
    return transition
