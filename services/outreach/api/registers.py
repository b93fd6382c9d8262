"""What the registers' endpoints share (`api/missions.py`, `api/offices.py`, `api/compatriots.py`,
`api/export_promotion.py`): their blueprint, each register's API (`Resource`) and how a record is answered and
stored. Each module adds its registers' views with `register_views` (`api/register_views.py`), on the generic
resource views (`shared/http/views.py`): parse, call the register's operation, answer.

Create (POST, Idempotency-Key), list (filters named like columns, `q` on the name, sort, pages), read, change
(PATCH with If-Match), where the record may be removed DELETE (If-Match) and, where it has a lifecycle, one POST
per action (409 naming the allowed ones). A record's personal fields (a contact's e-mail and phone) are masked in
lists and for roles that may not read personal data, and an unmasked read is audited (decision 0045).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON

from services.outreach.api import relation_schemas as schemas
from services.outreach.api.common import CONTACT_DETAILS
from services.outreach.events.fields import Reason
from services.outreach.operations import registers
from services.outreach.operations.registers import Register
from shared.http.records import OptionalBody
from shared.http.views import blueprint
from shared.kit.lifecycle import Lifecycle

relations_api = blueprint("relations", __name__, "Missions, organisations, offices abroad, compatriots, societies, "
                                                 "export promotion")


class ActionBody(OptionalBody):
    model_config = ConfigDict(extra="forbid")

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
