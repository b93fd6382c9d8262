"""Proposals to take part in international functions: made by travel staff, decided by the mayor's office."""

from __future__ import annotations

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.proposal_schemas import ProposalIn, ProposalOut, ProposalPath, ProposalQuery
from services.trips.domain.proposal import DECIDED_BY_MAYOR_OFFICE, PROPOSAL_LIFECYCLE
from services.trips.operations.proposals import create_proposal as create
from services.trips.operations.proposals import find_proposal, move_proposal
from services.trips.store.departments import readable_proposals
from services.trips.store.models import Proposal
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, created, idempotent, json_response, paginate, sort_by
from shared.http.work import read_only, unit_of_work

proposals_api = APIBlueprint("proposals", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="proposals", description="Proposals to take part in "
                                                                         "international functions")])


def serialize(proposal: Proposal) -> dict:
    return ProposalOut.model_validate(proposal).model_dump(mode="json")


def proposal_response(proposal: Proposal) -> Response:
    return record_response(serialize(proposal), proposal.version)


@proposals_api.post("/proposals", summary="Propose to the mayor's office to take part in an international function",
                    responses={201: ProposalOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_proposal(body: ProposalIn):
    with unit_of_work() as uow:
        proposal = create(uow, body.model_dump(exclude={"travellers"}),
                          [traveller.model_dump(mode="json") for traveller in body.travellers],
                          body.model_dump(mode="json", exclude={"travellers"}))
        return created(uow, serialize(proposal), f"/api/v1/proposals/{proposal.id}", proposal.version)


@proposals_api.get("/proposals", summary="List proposals", responses={200: Page[ProposalOut]})
@allow(*READERS)
def list_proposals(query: ProposalQuery):
    statement = select(Proposal).where(readable_proposals(caller_scope()))
    for name in ("status", "country"):
        if getattr(query, name):
            statement = statement.where(getattr(Proposal, name) == getattr(query, name))
    if query.starts_from:
        statement = statement.where(Proposal.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Proposal.starts_on <= query.starts_until)
    statement = sort_by(statement, query.sort, Proposal, ("starts_on", "status", "created_at", "function_name"),
                        [Proposal.starts_on.desc(), Proposal.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@proposals_api.get("/proposals/<proposal_id>", summary="Read a proposal",
                   responses={200: ProposalOut, **problem_responses(404)})
@allow(*READERS)
def get_proposal(path: ProposalPath):
    with read_only() as session:
        return proposal_response(find_proposal(session, path.proposal_id, caller_scope()))


def _transition_view(action: str):
    def transition(path: ProposalPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return proposal_response(move_proposal(uow, path.proposal_id, action, body.reason, if_match(),
                                                   caller_scope()))

    transition.__name__ = f"{action}_proposal"
    return transition


SUMMARIES = {"approve": "Approve: the proposal becomes a draft trip request",
             "reject": "Reject with a reason; the proposal is kept", "withdraw": "Withdraw a proposal (reason)"}
for _action in PROPOSAL_LIFECYCLE.transitions:
    proposals_api.post(f"/proposals/<proposal_id>/{_action}", summary=SUMMARIES[_action],
                       responses={200: ProposalOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*(("mayor-office",) if _action in DECIDED_BY_MAYOR_OFFICE else TRAVEL))(_transition_view(_action)))
