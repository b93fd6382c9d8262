"""Proposals to take part in international functions: made by travel staff, decided by the mayor's office; an
approved one becomes a draft trip request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.domain.budget import DEFAULT_BUDGET_CURRENCY
from services.trips.domain.proposal import PROPOSAL_LIFECYCLE, ProposalStatus
from services.trips.events import contents
from services.trips.operations.trips import draft_trip
from services.trips.store.departments import readable_proposals
from services.trips.store.models import Proposal, Trip
from shared.kit.refusals import NotFound, require_version
from shared.uow import UnitOfWork


def find_proposal(session: Session, proposal_id: str, scope: str | None = None) -> Proposal:
    """The proposal, if a reader of `scope` may see it (decision 0080)."""
    proposal = session.scalar(select(Proposal).where(Proposal.id == proposal_id, readable_proposals(scope)))
    if proposal is None:
        raise NotFound("proposal", proposal_id)
    return proposal


def create_proposal(uow: UnitOfWork, fields: dict[str, Any], travellers: list[dict[str, Any]],
                    changes: dict[str, Any]) -> Proposal:
    proposal = Proposal(**fields, travellers=travellers, status=ProposalStatus.PROPOSED.value, version=1,
                        created_by=uow.actor)
    uow.session.add(proposal)
    uow.record_change("proposal", "created", proposal, contents.proposal, changes)
    return proposal


def trip_from(uow: UnitOfWork, proposal: Proposal) -> Trip:
    """The draft trip request an approved proposal becomes."""
    fields = {"title": f"Participation in {proposal.function_name}", "purpose": proposal.rationale,
              "department": proposal.department, "starts_on": proposal.starts_on, "ends_on": proposal.ends_on,
              "host": proposal.organiser, "international_function": proposal.function_name,
              "funding": proposal.funding, "partner_id": proposal.partner_id,
              "budget_currency": DEFAULT_BUDGET_CURRENCY}
    return draft_trip(uow, fields, [{"country": proposal.country, "city": proposal.city}], proposal.travellers,
                      {"proposal_id": proposal.id})


def move_proposal(uow: UnitOfWork, proposal_id: str, action: str, reason: str | None,
                  expected_version: frozenset[int] | None, scope: str | None = None) -> Proposal:
    """Approve (it becomes a draft trip request), reject or withdraw a proposal."""
    proposal = find_proposal(uow.session, proposal_id, scope)
    require_version(proposal.version, expected_version)
    target = PROPOSAL_LIFECYCLE.next_status(proposal.status, action, reason)
    if target == ProposalStatus.APPROVED:
        proposal.trip_id = trip_from(uow, proposal).id
    previous = proposal.status
    proposal.status, proposal.status_reason, proposal.version = target.value, reason, proposal.version + 1
    uow.record_change("proposal", PROPOSAL_LIFECYCLE.past_tense(action), proposal, contents.proposal,
                      {"status": [previous, target.value], "reason": reason, "trip_id": proposal.trip_id})
    return proposal
