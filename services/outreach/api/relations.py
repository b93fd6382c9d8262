"""Missions, organisations and memberships, offices abroad and their reports, compatriot programmes, friendship
societies and NGOs, export promotion: the registers, each given the endpoints every register has."""

from __future__ import annotations

from typing import Any

from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from services.outreach.api.common import CONTACT_DETAILS
from services.outreach.api.registers import Resource, register
from services.outreach.api.relation_schemas import (
    EnterpriseCreate,
    ExportEventCreate,
    MembershipCreate,
    MissionCreate,
    OfficeCreate,
    OfficeReportCreate,
    OrganisationContactCreate,
    OrganisationCreate,
    ParticipantCreate,
    ProgrammeCreate,
    SocietyCreate,
    StaffMemberCreate,
    output,
    partial,
    path_model,
    query,
)
from services.outreach.domain.relations import ExportEventKind, MissionKind, OrganisationKind, ReportStatus, SocietyKind
from services.outreach.events.fields import CountryCode, Name, RecordId, Text
from services.outreach.operations import registers
from services.outreach.operations.registers import Register
from shared.http.problems import problem_responses

relations_api = APIBlueprint("relations", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="relations", description="Missions, organisations, offices "
                                                                         "abroad, compatriots, societies, export "
                                                                         "promotion")])


def resource(entries: Register, path: str, create: type[BaseModel], *, sortable: tuple[str, ...],
             default_order: tuple[str, ...], filters: dict[str, Any], search: str | None = None,
             out_extra: dict[str, Any] | None = None, person: bool = False) -> Resource:
    """A register's API: its change body, answer, query and path are built from its create body; the fields a
    create body requires, or fills with a default, cannot be cleared by a change."""
    model = entries.model
    required = tuple(name for name, info in create.model_fields.items() if info.is_required()
                     or isinstance(info.default, (list, int)) or info.default_factory is not None)
    return Resource(register=entries, path=path, create=create, update=partial(create),
                    out=output(create, **(out_extra or {})), query=query(f"{model.__name__}Query", **filters),
                    path_model=path_model(model), sortable=sortable, default_order=default_order, required=required,
                    search=search, personal=CONTACT_DETAILS if person else (), removable=person)


TEXT_SEARCH = {"q": Text}
RESOURCES = [
    resource(registers.MISSIONS, "missions", MissionCreate, sortable=("name", "sending_country", "kind", "created_at"),
             default_order=("name",), filters={"kind": MissionKind, "sending_country": CountryCode, **TEXT_SEARCH},
             search="name"),
    resource(registers.ORGANISATIONS, "organisations", OrganisationCreate, sortable=("name", "kind", "created_at"),
             default_order=("name",), filters={"kind": OrganisationKind, **TEXT_SEARCH}, search="name"),
    resource(registers.MEMBERSHIPS, "memberships", MembershipCreate, sortable=("member_since", "created_at"),
             default_order=("member_since",), filters={"organisation_id": RecordId}),
    resource(registers.OFFICES, "offices", OfficeCreate, sortable=("name", "country", "opened_on"),
             default_order=("name",), filters={"country": CountryCode, **TEXT_SEARCH}, search="name"),
    resource(registers.OFFICE_REPORTS, "office-reports", OfficeReportCreate,
             sortable=("period_from", "status", "created_at"), default_order=("period_from",),
             filters={"office_id": RecordId, "status": ReportStatus},
             out_extra={"status": (ReportStatus, ...), "status_reason": (str | None, ...),
                        "allowed_actions": (list[str], ...)}),
    resource(registers.PROGRAMMES, "compatriot-programmes", ProgrammeCreate, sortable=("year", "title", "created_at"),
             default_order=("year",), filters={"year": int, **TEXT_SEARCH}, search="title"),
    resource(registers.SOCIETIES, "societies", SocietyCreate, sortable=("name", "country", "kind"),
             default_order=("name",),
             filters={"kind": SocietyKind, "country": CountryCode, "partner_id": RecordId, **TEXT_SEARCH},
             search="name"),
    resource(registers.ORGANISATION_CONTACTS, "organisation-contacts", OrganisationContactCreate,
             sortable=("name", "position", "created_at"), default_order=("name",),
             filters={"society_id": RecordId, "office_id": RecordId, "mission_id": RecordId, **TEXT_SEARCH},
             search="name", person=True),
    resource(registers.STAFF, "office-staff", StaffMemberCreate, sortable=("name", "position", "employed_from"),
             default_order=("employed_from",), filters={"office_id": RecordId, "position": Name, **TEXT_SEARCH},
             search="name", person=True),
    resource(registers.PARTICIPANTS, "compatriot-participants", ParticipantCreate,
             sortable=("name", "country", "joined_on"), default_order=("name",),
             filters={"programme_id": RecordId, "country": CountryCode, **TEXT_SEARCH}, search="name", person=True),
    resource(registers.ENTERPRISES, "enterprises", EnterpriseCreate, sortable=("name", "sector"),
             default_order=("name",), filters={"sector": Name, **TEXT_SEARCH}, search="name"),
    resource(registers.EXPORT_EVENTS, "export-events", ExportEventCreate, sortable=("starts_on", "title", "country"),
             default_order=("starts_on",), filters={"kind": ExportEventKind, "country": CountryCode, **TEXT_SEARCH},
             search="title"),
]
for _resource in RESOURCES:
    register(relations_api, _resource)
