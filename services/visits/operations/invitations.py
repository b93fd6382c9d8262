"""The mayor's invitation inbox: receive, review, assign with a deadline, delegate, and answer; an accepted
invitation in the city becomes a draft visit or an official function."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import select

from services.visits.domain.invitation import (
    INVITATION_LIFECYCLE,
    OPEN_STATES,
    InvitationStatus,
    Location,
    Outcome,
    attending_official,
    check_deadline,
    check_event_dates,
    check_function_day,
    is_overdue,
    next_status,
    outcome_of,
)
from services.visits.domain.programme import local
from services.visits.events import contents
from services.visits.operations.functions import schedule_function
from services.visits.operations.records import find_current, set_fields
from services.visits.operations.visits import create_visit
from services.visits.store.models import Invitation, OfficialFunction, Visit
from shared.kit.refusals import Conflict, Invalid
from shared.uow import UnitOfWork


def record_invitation_change(uow: UnitOfWork, invitation: Invitation, action: str, changes: dict[str, Any],
                             today: date) -> None:
    overdue = is_overdue(InvitationStatus(invitation.status), invitation.deadline, today)
    uow.record_change("invitation", action, invitation, partial(contents.invitation, overdue=overdue), changes)


def receive(uow: UnitOfWork, fields: dict[str, Any], source: str, document_id: str | None = None) -> Invitation:
    """Put a new invitation in the inbox (from the API or the city's document system)."""
    check_event_dates(fields["starts_on"], fields["ends_on"])
    invitation = Invitation(**fields, source=source, source_document_id=document_id,
                            status=InvitationStatus.RECEIVED.value, version=1, created_by=uow.actor)
    uow.session.add(invitation)
    recorded = {"source": source, "source_document_id": document_id}
    record_invitation_change(uow, invitation, "received", {**to_jsonable_python(fields), **recorded},
                             uow.now().date())
    return invitation


def receive_document(uow: UnitOfWork, fields: dict[str, Any], document_id: str) -> Invitation | None:
    """An invitation from the city's document system: one per document, so the same document sent again (even
    as a new event) changes nothing."""
    if uow.session.scalar(select(Invitation.id).where(Invitation.source_document_id == document_id)):
        return None
    return receive(uow, fields, "city-docs", document_id)


def update_invitation(uow: UnitOfWork, invitation_id: str, fields: dict[str, Any], changes: dict[str, Any],
                      expected_version: frozenset[int] | None) -> Invitation:
    """Correct an open invitation's details."""
    invitation = find_current(uow.session, Invitation, invitation_id, "invitation", expected_version)
    if InvitationStatus(invitation.status) not in OPEN_STATES:
        raise Conflict(f"it was {invitation.status}", slug="invitation-closed")
    if not fields:
        return invitation
    set_fields(invitation, fields)
    check_event_dates(invitation.starts_on, invitation.ends_on)
    invitation.version += 1
    record_invitation_change(uow, invitation, "updated", changes, uow.now().date())
    return invitation


def moved(uow: UnitOfWork, invitation_id: str, action: str, expected_version: frozenset[int] | None) -> Invitation:
    """The invitation in the state `action` leads to (its new version); its details are the caller's to set."""
    invitation = find_current(uow.session, Invitation, invitation_id, "invitation", expected_version)
    invitation.status = next_status(invitation.status, action).value
    invitation.version += 1
    return invitation


def answered(uow: UnitOfWork, invitation: Invitation, action: str, changes: dict[str, Any]) -> Invitation:
    record_invitation_change(uow, invitation, INVITATION_LIFECYCLE.past_tense(action), changes, uow.now().date())
    return invitation


def review(uow: UnitOfWork, invitation_id: str, expected_version: frozenset[int] | None) -> Invitation:
    return answered(uow, moved(uow, invitation_id, "review", expected_version), "review", {})


def assign(uow: UnitOfWork, invitation_id: str, assignee: str, assignee_kind: str, deadline: date,
           changes: dict[str, Any], expected_version: frozenset[int] | None) -> Invitation:
    """Assign to a department or an official with a deadline still to come."""
    check_deadline(deadline, uow.now().date())
    invitation = moved(uow, invitation_id, "assign", expected_version)
    if invitation.deadline != deadline:
        invitation.overdue_reported_at = None  # a new deadline may pass again, and is reported again
    invitation.assignee, invitation.assignee_kind, invitation.deadline = assignee, assignee_kind, deadline
    return answered(uow, invitation, "assign", changes)


def delegate(uow: UnitOfWork, invitation_id: str, official: str, note: str | None, changes: dict[str, Any],
             expected_version: frozenset[int] | None) -> Invitation:
    invitation = moved(uow, invitation_id, "delegate", expected_version)
    invitation.assignee, invitation.assignee_kind, invitation.answer_note = official, "official", note
    return answered(uow, invitation, "delegate", changes)


def visit_from(uow: UnitOfWork, invitation: Invitation, official: str) -> Visit:
    """The draft visit an invitation in the city becomes, hosted by the attending official."""
    return create_visit(uow, {
        "delegation_name": invitation.inviting_party[:300], "country": invitation.country, "city": invitation.city,
        "partner_id": invitation.partner_id, "starts_on": invitation.starts_on, "ends_on": invitation.ends_on,
        "purpose": invitation.title, "host_official": official}, {"invitation_id": invitation.id})


def function_from(uow: UnitOfWork, invitation: Invitation, official: str, details: dict[str, Any]
                  ) -> OfficialFunction:
    """The official function an invitation in the city becomes, on one of its days; the attending official
    takes part in it. What is wrong with the function's details is named under `function`."""
    fields = {"kind": details["kind"], "title": invitation.title, "visit_id": None, "agenda_item_id": None,
              "partner_id": invitation.partner_id, "starts_at": details["starts_at"], "ends_at": details["ends_at"],
              "time_zone": details["time_zone"], "venue": details["venue"], "officials": [official],
              "press_open": details["press_open"]}
    try:
        function = schedule_function(uow, fields, to_jsonable_python(fields))
    except Invalid as error:
        raise Invalid(f"function.{error.field}", error.message, **error.extensions) from error
    check_function_day(invitation.starts_on, invitation.ends_on, local(function.starts_at, function.time_zone).date())
    return function


def accept(uow: UnitOfWork, invitation_id: str, answer: dict[str, Any], changes: dict[str, Any],
           expected_version: frozenset[int] | None) -> Invitation:
    """Accept (`answer`: official, note, becomes, function): in the city it becomes a draft visit or an official
    function; abroad, trips drafts a trip from the event."""
    invitation = moved(uow, invitation_id, "accept", expected_version)
    official = attending_official(answer["official"], invitation.assignee, invitation.assignee_kind)
    outcome = outcome_of(Location(invitation.location), answer["becomes"], answer["function"] is not None)
    invitation.attending_official, invitation.answer_note = official, answer["note"]
    if outcome == Outcome.VISIT:
        invitation.visit_id = visit_from(uow, invitation, official).id
    if outcome == Outcome.FUNCTION:
        invitation.function_id = function_from(uow, invitation, official, answer["function"]).id
    return answered(uow, invitation, "accept", changes)


def decline(uow: UnitOfWork, invitation_id: str, reason: str, language: str, changes: dict[str, Any],
            expected_version: frozenset[int] | None) -> Invitation:
    """Decline, with the reason and the language of the reply letter."""
    invitation = moved(uow, invitation_id, "decline", expected_version)
    invitation.answer_note, invitation.reply_language = reason, language
    return answered(uow, invitation, "decline", changes)


def report_overdue_invitations(uow: UnitOfWork, now: datetime) -> None:
    """`invitation.overdue` once for each open invitation past its deadline (again after a new deadline)."""
    today = now.date()
    late = uow.session.scalars(select(Invitation).where(
        Invitation.status.in_([state.value for state in OPEN_STATES]), Invitation.deadline < today,
        Invitation.overdue_reported_at.is_(None))).all()
    for invitation in late:
        invitation.overdue_reported_at = now
        record_invitation_change(uow, invitation, "overdue", {"deadline": str(invitation.deadline)}, today)
