"""Awards: evaluating a lot's bids by price or weighted criteria, the standstill, award or unsuccessful."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.award_schemas import AwardOut, AwardPath, AwardQuery, EvaluationRequest
from services.contracts.api.common import PROCUREMENT, named
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.award import AWARD_LIFECYCLE
from services.contracts.events.contents import value
from services.contracts.operations.awards import evaluate as evaluate_lot
from services.contracts.operations.awards import find_award, move_award
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Award
from shared.http.auth import allow
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, where_set
from shared.http.work import read_only, unit_of_work

awards_api = APIBlueprint("awards", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="awards", description="Evaluation, standstill and award")])


def serialize(award: Award) -> dict:
    return AwardOut(
        id=award.id, tender_id=award.tender_id, lot_id=award.lot_id, status=award.status,
        status_reason=award.status_reason, supplier_id=award.supplier_id, bid_id=award.bid_id,
        value=value(award.amount, award.currency), award_criteria=award.award_criteria,
        ranking=award.evaluation["ranked"], disqualified=award.evaluation["disqualified"],
        decided_at=award.decided_at, standstill_ends_at=award.standstill_ends_at,
        allowed_actions=AWARD_LIFECYCLE.allowed_actions(award.status), version=award.version,
    ).model_dump(mode="json")


def award_response(award: Award):
    return record_response(serialize(award), award.version)


@awards_api.post("/tenders/<tender_id>/awards",
                 summary="Evaluate a lot's bids: an award pending through the standstill, or unsuccessful",
                 responses={201: AwardOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def evaluate(path: TenderPath, body: EvaluationRequest):
    with unit_of_work() as uow:
        award = evaluate_lot(uow, path.tender_id, body.lot_id,
                             {entry.bid_id: entry.reason for entry in body.disqualified},
                             {entry.bid_id: entry.scores for entry in body.scores}, body.standstill_days,
                             body.model_dump(mode="json"))
        return created(uow, serialize(award), f"/api/v1/awards/{award.id}", award.version)


@awards_api.get("/tenders/<tender_id>/awards", summary="List a tender's awards",
                responses={200: Page[AwardOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_awards(path: TenderPath, query: AwardQuery):
    statement = select(Award).where(Award.tender_id == path.tender_id)
    statement = where_set(statement, Award, query, ("status", "lot_id"))
    statement = apply_sort(statement, query.sort, {"decided_at": Award.decided_at, "amount": Award.amount},
                           [Award.decided_at, Award.id])
    with read_only() as session:
        find_tender(session, path.tender_id)
        return json_response(paginate(session, statement, query, serialize))


@awards_api.get("/awards/<award_id>", summary="Read an award", responses={200: AwardOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_award(path: AwardPath):
    with read_only() as session:
        return award_response(find_award(session, path.award_id))


def _transition_view(action: str):
    def transition(path: AwardPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return award_response(move_award(uow, path.award_id, action, body.reason, if_match()))
    return named(f"{action}_award", transition)


for _action in AWARD_LIFECYCLE.transitions:
    awards_api.post(f"/awards/<award_id>/{_action}",
                    summary="Confirm the award after the standstill" if _action == "activate" else
                    "Cancel the award (e.g. a complaint upheld), with a reason",
                    responses={200: AwardOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))
