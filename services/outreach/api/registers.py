"""What the registers' endpoints share (`api/missions.py`, `api/offices.py`, `api/compatriots.py`,
`api/export_promotion.py`): their blueprint, each register's API (`Resource`), the routes every register has and
the answers they give. Each module adds its registers' views with `register_views` (`api/register_views.py`):
parse, call the register's operation, answer.

Create (POST, Idempotency-Key), list (filters named like columns, `q` on the name, sort, pages), read, change
(PATCH with If-Match), where the record may be removed DELETE (If-Match) and, where it has a lifecycle, one POST
per action (409 naming the allowed ones). A record's personal fields (a contact's e-mail and phone) are masked in
lists and for roles that may not read personal data, and an unmasked read is audited (decision 0045).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Select, func, select

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.common import CONTACT_DETAILS, as_caller_may_see, masked, personal_record_response
from services.outreach.events.fields import Reason
from services.outreach.operations import registers
from services.outreach.operations.registers import Register
from shared.db import find
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, if_match, record_response
from shared.http.resources import Page, PageQuery, apply_sort, created, json_response, paginate
from shared.http.work import read_only, unit_of_work
from shared.kit.lifecycle import Lifecycle

relations_api = APIBlueprint("relations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="relations", description="Missions, organisations, offices "
                                                                         "abroad, compatriots, societies, export "
                                                                         "promotion")])


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def no_body_means_no_reason(cls, data: Any) -> Any:
        return {} if data is None else data

    reason: Reason | None = Field(None, description="Why; required for some actions")


@dataclass(frozen=True)
class Resource:
    """A register as the API shows it: its path, bodies, order and search, and which fields are personal."""

    register: Register
    path: str  # the collection's path under /api/v1, e.g. "missions"
    create: type[BaseModel]
    out: type[BaseModel]
    sortable: tuple[str, ...]
    default_order: tuple[str, ...]
    search: str | None = None  # the column `q` searches, case-insensitive
    person: bool = False  # a contact person: e-mail and phone personal, the record removable

    @property
    def record(self) -> str:
        return self.register.record

    @property
    def label(self) -> str:
        return self.register.label

    @property
    def lifecycle(self) -> Lifecycle | None:
        return self.register.lifecycle

    @property
    def created_action(self) -> str:
        return self.register.created_action

    @property
    def personal(self) -> tuple[str, ...]:
        return CONTACT_DETAILS if self.person else ()

    @property
    def required(self) -> tuple[str, ...]:
        """The fields a change may not clear: those the create body requires or fills with a default."""
        return tuple(name for name, info in self.create.model_fields.items() if info.is_required()
                     or isinstance(info.default, (list, int)) or info.default_factory is not None)


MISSIONS = Resource(registers.MISSIONS, "missions", schemas.MissionCreate, schemas.MissionOut,
                    ("name", "sending_country", "kind", "created_at"), ("name",), search="name")
ORGANISATIONS = Resource(registers.ORGANISATIONS, "organisations", schemas.OrganisationCreate, schemas.OrganisationOut,
                         ("name", "kind", "created_at"), ("name",), search="name")
MEMBERSHIPS = Resource(registers.MEMBERSHIPS, "memberships", schemas.MembershipCreate, schemas.MembershipOut,
                       ("member_since", "created_at"), ("member_since",))
OFFICES = Resource(registers.OFFICES, "offices", schemas.OfficeCreate, schemas.OfficeOut,
                   ("name", "country", "opened_on"), ("name",), search="name")
OFFICE_REPORTS = Resource(registers.OFFICE_REPORTS, "office-reports", schemas.OfficeReportCreate,
                          schemas.OfficeReportOut, ("period_from", "status", "created_at"), ("period_from",))
PROGRAMMES = Resource(registers.PROGRAMMES, "compatriot-programmes", schemas.ProgrammeCreate, schemas.ProgrammeOut,
                      ("year", "title", "created_at"), ("year",), search="title")
SOCIETIES = Resource(registers.SOCIETIES, "societies", schemas.SocietyCreate, schemas.SocietyOut,
                     ("name", "country", "kind"), ("name",), search="name")
ORGANISATION_CONTACTS = Resource(registers.ORGANISATION_CONTACTS, "organisation-contacts",
                                 schemas.OrganisationContactCreate, schemas.OrganisationContactOut,
                                 ("name", "position", "created_at"), ("name",), search="name", person=True)
STAFF = Resource(registers.STAFF, "office-staff", schemas.StaffMemberCreate, schemas.StaffMemberOut,
                 ("name", "position", "employed_from"), ("employed_from",), search="name", person=True)
PARTICIPANTS = Resource(registers.PARTICIPANTS, "compatriot-participants", schemas.ParticipantCreate,
                        schemas.ParticipantOut, ("name", "country", "joined_on"), ("name",), search="name",
                        person=True)
ENTERPRISES = Resource(registers.ENTERPRISES, "enterprises", schemas.EnterpriseCreate, schemas.EnterpriseOut,
                       ("name", "sector"), ("name",), search="name")
EXPORT_EVENTS = Resource(registers.EXPORT_EVENTS, "export-events", schemas.ExportEventCreate, schemas.ExportEventOut,
                         ("starts_on", "title", "country"), ("starts_on",), search="title")
RESOURCES = [MISSIONS, ORGANISATIONS, MEMBERSHIPS, OFFICES, OFFICE_REPORTS, PROGRAMMES, SOCIETIES,
             ORGANISATION_CONTACTS, STAFF, PARTICIPANTS, ENTERPRISES, EXPORT_EVENTS]


# --- the routes every register has ---

Route = Callable[[Callable[..., Any]], Callable[..., Any]]


def collection(resource: Resource) -> str:
    return f"/{resource.path}"


def item(resource: Resource) -> str:
    return f"/{resource.path}/<record_id>"


def create_route(resource: Resource) -> Route:
    return relations_api.post(collection(resource), summary=f"Register a {resource.label}",
                              responses={201: resource.out, **problem_responses(*BODY_PROBLEMS)})


def list_route(resource: Resource) -> Route:
    return relations_api.get(collection(resource), summary=f"List {resource.label}s",
                             responses={200: Page[resource.out]})


def read_route(resource: Resource) -> Route:
    return relations_api.get(item(resource), summary=f"Read a {resource.label}",
                             responses={200: resource.out, **problem_responses(404)})


def change_route(resource: Resource) -> Route:
    return relations_api.patch(item(resource), summary=f"Change a {resource.label} (send If-Match)",
                               responses={200: resource.out, **problem_responses(404, 412, *BODY_PROBLEMS)})


def remove_route(resource: Resource) -> Route:
    return relations_api.delete(item(resource), summary=f"Remove a {resource.label} (send If-Match)",
                                responses={204: None, **problem_responses(404, 412)})


def action_route(resource: Resource, action: str) -> Route:
    return relations_api.post(f"{item(resource)}/{action}",
                              summary=f"{action.capitalize()} a {resource.label} (send If-Match)",
                              responses={200: resource.out, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})


# --- the answers ---

def serialize(resource: Resource, record: Any) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in resource.out.model_fields if name != "allowed_actions"}
    if resource.lifecycle:
        values["allowed_actions"] = resource.lifecycle.allowed_actions(record.status)
    return resource.out.model_validate(values).model_dump(mode="json")


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


def listing(resource: Resource, query: PageQuery) -> Select[Any]:
    """The register's records the query's filters, search and sort name."""
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


def create(resource: Resource, body: BaseModel) -> Response:
    values = column_values(resource, body, set(type(body).model_fields))
    with unit_of_work() as uow:
        record = registers.add_entry(uow, resource.register, values, body.model_dump(mode="json"))
        return created(uow, as_caller_may_see(serialize(resource, record), resource.personal),
                       f"/api/v1/{resource.path}/{record.id}", record.version)


def list_records(resource: Resource, query: PageQuery) -> Response:
    with read_only() as session:
        return json_response(paginate(session, listing(resource, query), query,
                                      lambda record: masked(serialize(resource, record), resource.personal, False)))


def read(resource: Resource, record_id: str) -> Response:
    with read_only() as session:
        record = find(session, resource.register.model, record_id, resource.label)
        if resource.personal:
            return personal_record_response(serialize(resource, record), record.version, resource.record,
                                            resource.personal)
        return record_response(serialize(resource, record), record.version)


def change(resource: Resource, record_id: str, body: BaseModel) -> Response:
    values = column_values(resource, body, body.model_fields_set)
    with unit_of_work() as uow:
        record = registers.change_entry(uow, resource.register, record_id, values,
                                        body.model_dump(mode="json", exclude_unset=True), resource.required,
                                        if_match())
        return record_response(as_caller_may_see(serialize(resource, record), resource.personal), record.version)


def remove(resource: Resource, record_id: str) -> Response:
    with unit_of_work() as uow:
        registers.remove_entry(uow, resource.register, record_id, if_match())
    return Response(status=204)


def act(resource: Resource, record_id: str, action: str, reason: str | None) -> Response:
    with unit_of_work() as uow:
        record = registers.move_entry(uow, resource.register, record_id, action, reason, if_match())
        return record_response(serialize(resource, record), record.version)
