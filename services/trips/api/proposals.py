"""Proposals to take part in international functions: made by travel staff, decided by the mayor's office."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.proposal_schemas import ProposalIn, ProposalOut, ProposalPath, ProposalQuery
from services.trips.domain.proposal import DECIDED_BY_MAYOR_OFFICE, PROPOSAL_LIFECYCLE
from services.trips.operations import proposals as operations
from services.trips.store.departments import readable_proposals
from services.trips.store.models import Proposal
from shared.http.views import Resource, blueprint, within
from shared.uow import UnitOfWork

proposals_api = blueprint("proposals", __name__, "Proposals to take part in international functions")


def readable(statement: Select, query: ProposalQuery) -> Select:
    return statement.where(readable_proposals(caller_scope()))


def move_readable(uow: UnitOfWork, *arguments: Any) -> Proposal:
    return operations.move_proposal(uow, *arguments, caller_scope())


PROPOSALS = Resource(proposals_api, "/proposals", "proposal_id", Proposal, ProposalOut, READERS, TRAVEL)
PROPOSALS.create("create_proposal", "Propose to the mayor's office to take part in an international function",
                 ProposalIn,
                 lambda uow, ids, body: operations.create_proposal(
                     uow, body.model_dump(exclude={"travellers"}),
                     [traveller.model_dump(mode="json") for traveller in body.travellers],
                     body.model_dump(mode="json", exclude={"travellers"})))
PROPOSALS.listing("list_proposals", "List proposals", ProposalQuery, filters=("status", "country"),
                  narrow=(readable, within(Proposal.starts_on, "starts_from", "starts_until")),
                  sortable=("starts_on", "status", "created_at", "function_name"), order=("-starts_on",))
PROPOSALS.read("get_proposal", "Read a proposal", ProposalPath,
               lookup=lambda session, proposal_id: operations.find_proposal(session, proposal_id, caller_scope()))
SUMMARIES = {"approve": "Approve: the proposal becomes a draft trip request",
             "reject": "Reject with a reason; the proposal is kept", "withdraw": "Withdraw a proposal (reason)"}
for _action in PROPOSAL_LIFECYCLE.transitions:
    PROPOSALS.transitions(ProposalPath, move_readable, PROPOSAL_LIFECYCLE, SUMMARIES, actions=(_action,),
                          roles=("mayor-office",) if _action in DECIDED_BY_MAYOR_OFFICE else TRAVEL)
