"""The office's registers (missions, organisations and memberships, offices abroad and their reports, compatriot
programmes and participants, societies and their contacts, export promotion): each declared once as a `Register`,
all kept by the same few use cases. A person's name and personal data never reach events or audit records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.outreach.domain.relations import (
    HOLDERS,
    OFFICE_REPORT_LIFECYCLE,
    ReportStatus,
    amounts_paired,
    dates_in_order,
    one_holder,
)
from services.outreach.events import contents
from services.outreach.operations.changes import apply_changes, record_change, refuse_clearing
from services.outreach.store.models import (
    CompatriotProgramme,
    Enterprise,
    ExportEvent,
    Membership,
    Mission,
    Office,
    OfficeReport,
    OfficeStaffMember,
    Organisation,
    OrganisationContact,
    Partner,
    ProgrammeParticipant,
    Society,
)
from shared.db import find
from shared.kit.lifecycle import Lifecycle
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

Problem = tuple[str, str] | None  # (field, message) when a record breaks a rule


@dataclass(frozen=True)
class Register:
    record: str  # the event's record name, e.g. "mission"
    label: str  # how a person names one, e.g. "foreign mission"
    model: type[Any]
    contents: Callable[[Any], dict[str, Any]]
    references: Mapping[str, type[Any]] = field(default_factory=dict)  # field -> model its id must name
    check: Callable[[Any], Problem] | None = None
    lifecycle: Lifecycle | None = None
    initial_status: str | None = None
    hidden: tuple[str, ...] = ()  # a person's name and personal data: kept out of audit records
    created_action: str = "created"

    @property
    def first_action(self) -> str:
        """A record with a lifecycle is announced as submitted, others as created (or added, for people)."""
        return "submitted" if self.lifecycle else self.created_action


def audited(register: Register, values: dict[str, Any]) -> dict[str, Any]:
    """What the audit record keeps of a request: its fields, but only the names of the hidden ones."""
    hidden = sorted(name for name in register.hidden if name in values)
    return {**{name: value for name, value in values.items() if name not in register.hidden},
            **({"personal_data": hidden} if hidden else {})}


def check_entry(uow: UnitOfWork, register: Register, record: Any, values: dict[str, Any]) -> None:
    for name, model in register.references.items():
        if values.get(name) is not None and uow.session.get(model, values[name]) is None:
            raise Invalid(name, f"no {model.__tablename__.replace('_', ' ').rstrip('s')} {values[name]}")
    problem = register.check(record) if register.check else None
    if problem:
        raise Invalid(*problem)


def add_entry(uow: UnitOfWork, register: Register, values: dict[str, Any], request: dict[str, Any]) -> Any:
    """A new record of the register from its stored `values`; `request` is what was asked, for the audit."""
    status = {"status": register.initial_status} if register.initial_status else {}
    record = register.model(**values, **status, version=1, created_by=uow.actor)
    check_entry(uow, register, record, values)
    uow.session.add(record)
    record_change(uow, register.record, register.first_action, record, register.contents, audited(register, request))
    return record


def change_entry(uow: UnitOfWork, register: Register, record_id: str, values: dict[str, Any],
                 request: dict[str, Any], required: tuple[str, ...], expected_version: frozenset[int] | None) -> Any:
    """Change a record's fields; `required` ones may not be cleared; no values change nothing."""
    refuse_clearing(values, required)
    record = find(uow.session, register.model, record_id, register.label)
    require_version(record.version, expected_version)
    if values:
        apply_changes(record, values)
        check_entry(uow, register, record, values)
        record_change(uow, register.record, "updated", record, register.contents, audited(register, request))
    return record


def remove_entry(uow: UnitOfWork, register: Register, record_id: str, expected_version: frozenset[int] | None) -> None:
    record = find(uow.session, register.model, record_id, register.label)
    require_version(record.version, expected_version)
    uow.session.delete(record)
    record_change(uow, register.record, "removed", record, register.contents, {})


def move_entry(uow: UnitOfWork, register: Register, record_id: str, action: str, reason: str | None,
               expected_version: frozenset[int] | None) -> Any:
    """Take a lifecycle action on a record of a register that has one."""
    assert register.lifecycle is not None
    record = find(uow.session, register.model, record_id, register.label)
    require_version(record.version, expected_version)
    previous = register.lifecycle.advance(record, action, reason)
    record_change(uow, register.record, register.lifecycle.past_tense(action), record, register.contents,
                  {"status": [previous, record.status], "reason": record.status_reason})
    return record


# --- the registers' own rules ---

def check_membership(record: Membership) -> Problem:
    return dates_in_order(record.member_since, record.member_until, "member_until") or amounts_paired(
        record.annual_dues_amount, record.dues_currency, "dues_currency")


def check_office(record: Office) -> Problem:
    return dates_in_order(record.opened_on, record.closed_on, "closed_on")


def check_report(record: OfficeReport) -> Problem:
    return dates_in_order(record.period_from, record.period_until, "period_until")


def check_programme(record: CompatriotProgramme) -> Problem:
    return amounts_paired(record.budget_amount, record.budget_currency, "budget_currency")


def check_contact(record: OrganisationContact) -> Problem:
    return one_holder({name: getattr(record, name) for name in HOLDERS})


def check_staff_member(record: OfficeStaffMember) -> Problem:
    return dates_in_order(record.employed_from, record.employed_until, "employed_until")


def check_export_event(record: ExportEvent) -> Problem:
    for position, participant in enumerate(record.participants):
        problem = amounts_paired(participant.get("deals_value_amount"), participant.get("deals_value_currency"),
                                 f"participants.{position}.deals_value_currency")
        if problem:
            return problem
    return dates_in_order(record.starts_on, record.ends_on, "ends_on")


# a person's name and how to reach them stay in outreach (their e-mail and phone are masked and encrypted)
PERSON = ("email", "phone", "name")
MISSIONS = Register("mission", "foreign mission", Mission, contents.mission)
ORGANISATIONS = Register("organisation", "international organisation", Organisation, contents.organisation)
MEMBERSHIPS = Register("membership", "membership", Membership, contents.membership,
                       references={"organisation_id": Organisation}, check=check_membership)
OFFICES = Register("office", "representative office", Office, contents.office, check=check_office)
OFFICE_REPORTS = Register("office-report", "office report", OfficeReport, contents.office_report,
                          references={"office_id": Office}, check=check_report, lifecycle=OFFICE_REPORT_LIFECYCLE,
                          initial_status=ReportStatus.SUBMITTED.value)
PROGRAMMES = Register("compatriot-programme", "compatriot programme", CompatriotProgramme,
                      contents.compatriot_programme, check=check_programme)
SOCIETIES = Register("society", "friendship society or NGO", Society, contents.society,
                     references={"partner_id": Partner})
ORGANISATION_CONTACTS = Register(
    "organisation-contact", "contact of a society, office or mission", OrganisationContact,
    contents.organisation_contact, references={"society_id": Society, "office_id": Office, "mission_id": Mission},
    check=check_contact, hidden=PERSON, created_action="added")
STAFF = Register("office-staff-member", "office staff member", OfficeStaffMember, contents.office_staff_member,
                 references={"office_id": Office}, check=check_staff_member, hidden=PERSON,
                 created_action="added")
PARTICIPANTS = Register("compatriot-participant", "programme participant", ProgrammeParticipant,
                        contents.compatriot_participant, references={"programme_id": CompatriotProgramme},
                        hidden=PERSON, created_action="added")
ENTERPRISES = Register("enterprise", "exporting enterprise", Enterprise, contents.enterprise)
EXPORT_EVENTS = Register("export-event", "export event", ExportEvent, contents.export_event, check=check_export_event)
