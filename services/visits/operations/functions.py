"""Official functions (press conferences, symposiums, seminars, round tables, coordinating meetings): scheduled
without taking an official or a venue twice, invitees with their RSVP, and press accreditation."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import ColumnElement

from services.visits.domain.meetings import AccreditationStatus, FunctionStatus, Rsvp, decide_accreditation, rsvp_open
from services.visits.domain.programme import normalized
from services.visits.events import contents
from services.visits.operations.engagements import function_slot, refuse_clashes
from services.visits.operations.meetings import TIMES, moved_span, utc_span
from services.visits.operations.officials import names_of
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import find_visit
from services.visits.store.models import AgendaItem, FunctionInvitee, OfficialFunction, PressAccreditation
from shared.db import find
from shared.kit.ids import new_id
from shared.kit.refusals import Conflict, Invalid, require_version
from shared.uow import UnitOfWork


def officials_index(officials: list[str]) -> str:
    """`|mayor of sofia|deputy mayor|`: what SQL filters an official's functions by (names compared as in 0011)."""
    return f"|{'|'.join(normalized(name) for name in officials)}|"


def taking_part(official: str) -> ColumnElement[bool]:
    return OfficialFunction.officials_index.contains(f"|{normalized(official)}|", autoescape=True)


def schedule_function(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> OfficialFunction:
    """A new function, refused when one of its officials or its venue is already taken at that time; in a
    visit, its partner is the visit's unless another is named."""
    starts_at, ends_at = utc_span(fields["starts_at"], fields["ends_at"], fields["time_zone"])
    override_reason = fields.get("override_reason")
    fields = {name: value for name, value in fields.items() if name not in (*TIMES, "override_reason")}
    names_of(uow.session, fields, "officials", "official_ids")
    if fields["visit_id"]:
        fields["partner_id"] = fields["partner_id"] or find_visit(uow.session, fields["visit_id"]).partner_id
    if fields["agenda_item_id"]:
        item = find(uow.session, AgendaItem, fields["agenda_item_id"], "agenda item")
        if item.visit_id != fields["visit_id"]:
            raise Invalid("agenda_item_id", "the agenda item is not in the function's visit")
    function = OfficialFunction(**fields, id=new_id(), starts_at=starts_at, ends_at=ends_at, version=1,
                                created_by=uow.actor, officials_index=officials_index(fields["officials"]))
    refuse_clashes(uow, function_slot(function), function.time_zone, override_reason)
    uow.session.add(function)
    uow.record_change("function", "scheduled", function, contents.function, changes)
    return function


def open_function(uow: UnitOfWork, function_id: str) -> OfficialFunction:
    """The function, if it is still to take place as scheduled; a Conflict once it is cancelled."""
    function = find(uow.session, OfficialFunction, function_id, "function")
    if function.status == FunctionStatus.CANCELLED:
        raise Conflict(function.status_reason or "", slug="function-cancelled")
    return function


def changing_function(uow: UnitOfWork, function_id: str, expected_version: frozenset[int] | None
                      ) -> OfficialFunction:
    function = open_function(uow, function_id)
    require_version(function.version, expected_version)
    return function


def update_function(uow: UnitOfWork, function_id: str, fields: dict[str, Any], changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> OfficialFunction:
    """Move or change a function; refused when an official or the venue is taken at its (new) time."""
    function = changing_function(uow, function_id, expected_version)
    if not fields:
        return function
    fields = dict(fields)
    override_reason = fields.pop("override_reason", None)
    names_of(uow.session, fields, "officials", "official_ids")
    moved_span(function, fields)
    set_fields(function, fields)
    function.officials_index = officials_index(function.officials)
    refuse_clashes(uow, function_slot(function), function.time_zone, override_reason)
    function.version += 1
    uow.record_change("function", "updated", function, contents.function, changes)
    return function


def cancel_function(uow: UnitOfWork, function_id: str, reason: str, changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> OfficialFunction:
    function = changing_function(uow, function_id, expected_version)
    function.status, function.status_reason = FunctionStatus.CANCELLED.value, reason
    function.version += 1
    uow.record_change("function", "cancelled", function, contents.function, changes)
    return function


def record_invitee_change(uow: UnitOfWork, function: OfficialFunction, invitee: FunctionInvitee, action: str,
                          changes: dict[str, Any]) -> None:
    uow.record_change("function-invitee", action, invitee, partial(contents.function_invitee, function=function),
                      changes)


def invite(uow: UnitOfWork, function_id: str, fields: dict[str, Any], changes: dict[str, Any],
           expected_version: frozenset[int] | None) -> FunctionInvitee:
    """Invite someone to a function; their answer is pending. `expected_version`: the function as the caller saw
    it (a function moved or changed since answers 412)."""
    function = changing_function(uow, function_id, expected_version)
    invitee = FunctionInvitee(function_id=function.id, **fields, rsvp=Rsvp.PENDING.value, version=1)
    uow.session.add(invitee)
    record_invitee_change(uow, function, invitee, "invited", changes)
    return invitee


def record_rsvp(uow: UnitOfWork, function_id: str, invitee_id: str, rsvp: Rsvp, changes: dict[str, Any],
                expected_version: frozenset[int] | None) -> FunctionInvitee:
    """The invitee's answer (accepted, declined or tentative), recorded until the day of the function."""
    if rsvp == Rsvp.PENDING:
        raise Invalid("rsvp", "an answer is accepted, declined or tentative")
    function = open_function(uow, function_id)
    invitee = find_current(uow.session, FunctionInvitee, invitee_id, "invitee", expected_version,
                           function_id=function.id)
    if not rsvp_open(function.starts_at, function.time_zone, uow.now()):
        raise Conflict("answers are recorded until the day of the function", slug="rsvp-closed")
    invitee.rsvp, invitee.responded_at, invitee.version = rsvp.value, uow.now(), invitee.version + 1
    record_invitee_change(uow, function, invitee, "responded", changes)
    return invitee


def record_accreditation_change(uow: UnitOfWork, function: OfficialFunction, accreditation: PressAccreditation,
                                action: str, changes: dict[str, Any]) -> None:
    uow.record_change("press-accreditation", action, accreditation,
                      partial(contents.press_accreditation, function=function), changes)


def request_accreditation(uow: UnitOfWork, function_id: str, fields: dict[str, Any], changes: dict[str, Any]
                          ) -> PressAccreditation:
    function = open_function(uow, function_id)
    if not function.press_open:
        raise Conflict("this function does not accredit the press", slug="closed-to-press")
    accreditation = PressAccreditation(function_id=function.id, **fields, status=AccreditationStatus.REQUESTED.value,
                                       version=1)
    uow.session.add(accreditation)
    record_accreditation_change(uow, function, accreditation, "requested", changes)
    return accreditation


def decide(uow: UnitOfWork, function_id: str, accreditation_id: str, approve: bool, reason: str | None,
           changes: dict[str, Any], expected_version: frozenset[int] | None) -> PressAccreditation:
    """Approve or reject (with a reason) a press accreditation, once."""
    function = find(uow.session, OfficialFunction, function_id, "function")
    accreditation = find_current(uow.session, PressAccreditation, accreditation_id, "accreditation",
                                 expected_version, function_id=function.id)
    status = decide_accreditation(AccreditationStatus(accreditation.status), approve, reason)
    accreditation.status, accreditation.reason = status.value, reason
    accreditation.decided_by, accreditation.version = uow.actor, accreditation.version + 1
    record_accreditation_change(uow, function, accreditation, status.value, changes)
    return accreditation
