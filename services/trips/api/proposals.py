"""Proposals to take part in international functions: made by travel staff, decided by the mayor's office."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.api.departments import readable_proposals
from services.trips.api.schemas import ProposalIn, ProposalOut, ProposalPath, ProposalQuery, TransitionRequest
from services.trips.api.trips import BODY_PROBLEMS, READERS, TRAVEL, draft_trip, invalid
from services.trips.domain.budget import DEFAULT_BUDGET_CURRENCY
from services.trips.domain.proposal import (
    DECIDED_BY_MAYOR_OFFICE,
    EVENT_ACTION,
    TRANSITIONS,
    IllegalTransition,
    MissingReason,
    ProposalStatus,
    next_status,
)
from services.trips.store.models import Proposal
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, etag, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

proposals_api = APIBlueprint("proposals", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                             abp_responses=problem_responses(401, 403, 422),
                             abp_tags=[Tag(name="proposals", description="Proposals to take part in "
                                                                         "international functions")])
EVENT_FIELDS = ("id", "function_name", "organiser", "country", "city", "starts_on", "ends_on", "department",
                "funding", "partner_id", "status", "status_reason", "trip_id", "version")


def serialize(proposal: Proposal) -> dict:
    return ProposalOut.model_validate(proposal).model_dump(mode="json")


def emit(uow: UnitOfWork, proposal: Proposal, action: str, changes: dict) -> None:
    uow.session.flush()
    body = serialize(proposal)
    uow.emit(f"chancery.trips.proposal.{action}.v1", proposal.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"proposal.{action}", "proposal", proposal.id, changes)


def find_proposal(session: Session, proposal_id: str) -> Proposal:
    proposal = session.scalar(select(Proposal).where(Proposal.id == proposal_id, readable_proposals()))
    if proposal is None:
        raise Problem(404, "Not found", f"No proposal {proposal_id}", slug="not-found")
    return proposal


def proposal_response(proposal: Proposal, status: int = 200):
    return json_response(serialize(proposal), status, {"ETag": etag(proposal.version)})


@proposals_api.post("/proposals", summary="Propose to the mayor's office to take part in an international function",
                    responses={201: ProposalOut, **problem_responses(*BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_proposal(body: ProposalIn):
    with unit_of_work() as uow:
        travellers = [traveller.model_dump(mode="json") for traveller in body.travellers]
        proposal = Proposal(**body.model_dump(exclude={"travellers"}), travellers=travellers,
                            status=ProposalStatus.PROPOSED.value, version=1, created_by=uow.actor)
        uow.session.add(proposal)
        emit(uow, proposal, "created", body.model_dump(mode="json", exclude={"travellers"}))
        return created(uow, serialize(proposal), f"/api/v1/proposals/{proposal.id}", proposal.version)


@proposals_api.get("/proposals", summary="List proposals", responses={200: Page[ProposalOut]})
@allow(*READERS)
def list_proposals(query: ProposalQuery):
    statement = select(Proposal).where(readable_proposals())
    for name in ("status", "country"):
        if getattr(query, name):
            statement = statement.where(getattr(Proposal, name) == getattr(query, name))
    if query.starts_from:
        statement = statement.where(Proposal.starts_on >= query.starts_from)
    if query.starts_until:
        statement = statement.where(Proposal.starts_on <= query.starts_until)
    sortable = {name: getattr(Proposal, name) for name in ("starts_on", "status", "created_at", "function_name")}
    statement = apply_sort(statement, query.sort, sortable, [Proposal.starts_on.desc(), Proposal.id])
    with read_only() as session:
        return json_response(paginate(session, statement, query, serialize))


@proposals_api.get("/proposals/<proposal_id>", summary="Read a proposal",
                   responses={200: ProposalOut, **problem_responses(404)})
@allow(*READERS)
def get_proposal(path: ProposalPath):
    with read_only() as session:
        return proposal_response(find_proposal(session, path.proposal_id))


def trip_from(uow: UnitOfWork, proposal: Proposal) -> str:
    """The draft trip request an approved proposal becomes."""
    fields = {"title": f"Participation in {proposal.function_name}", "purpose": proposal.rationale,
              "department": proposal.department, "starts_on": proposal.starts_on, "ends_on": proposal.ends_on,
              "host": proposal.organiser, "international_function": proposal.function_name,
              "funding": proposal.funding, "partner_id": proposal.partner_id,
              "budget_currency": DEFAULT_BUDGET_CURRENCY}
    trip = draft_trip(uow, fields, [{"country": proposal.country, "city": proposal.city}], proposal.travellers,
                      {"proposal_id": proposal.id})
    return trip.id


def _transition_view(action: str):
    def transition(path: ProposalPath, body: TransitionRequest):
        with unit_of_work() as uow:
            proposal = find_proposal(uow.session, path.proposal_id)
            require_fresh(proposal.version)
            try:
                target = next_status(ProposalStatus(proposal.status), action, body.reason)
            except IllegalTransition as error:
                raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                              allowed_actions=error.allowed) from error
            except MissingReason as error:
                raise invalid("reason", str(error)) from error
            if target == ProposalStatus.APPROVED:
                proposal.trip_id = trip_from(uow, proposal)
            previous = proposal.status
            proposal.status, proposal.status_reason = target.value, body.reason
            proposal.version += 1
            emit(uow, proposal, EVENT_ACTION[action], {"status": [previous, target.value], "reason": body.reason,
                                                      "trip_id": proposal.trip_id})
            return proposal_response(proposal)

    transition.__name__ = f"{action}_proposal"
    return transition


SUMMARIES = {"approve": "Approve: the proposal becomes a draft trip request",
             "reject": "Reject with a reason; the proposal is kept", "withdraw": "Withdraw a proposal (reason)"}
for _action in TRANSITIONS:
    proposals_api.post(f"/proposals/<proposal_id>/{_action}", summary=SUMMARIES[_action],
                       responses={200: ProposalOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*(("mayor-office",) if _action in DECIDED_BY_MAYOR_OFFICE else TRAVEL))(_transition_view(_action)))
