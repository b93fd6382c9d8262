"""Awards: evaluating a lot's bids by price or weighted criteria, the standstill, award or unsuccessful."""

from __future__ import annotations

from decimal import Decimal

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select

from services.contracts.api.award_schemas import AwardOut, AwardPath, AwardQuery, EvaluationRequest
from services.contracts.api.bids import emit as emit_bid
from services.contracts.api.bids import lot_of
from services.contracts.api.common import (
    BODY_PROBLEMS,
    PROCUREMENT,
    advance,
    conflict,
    find,
    invalid,
    named,
    now,
    record_response,
)
from services.contracts.api.schemas import TransitionRequest
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.award import (
    AWARD_LIFECYCLE,
    AwardStatus,
    Criterion,
    EvaluationProblem,
    Offer,
    Ranked,
    check_standstill_over,
    rank_by_criteria,
    rank_by_price,
    standstill_ends,
)
from services.contracts.domain.money import format_amount
from services.contracts.domain.tender import AwardCriteria, TenderStatus, is_sealed
from services.contracts.store.models import Auction, Award, Bid, Tender
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import Page, apply_sort, created, idempotent, json_response, paginate, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

awards_api = APIBlueprint("awards", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                          abp_responses=problem_responses(401, 403, 422),
                          abp_tags=[Tag(name="awards", description="Evaluation, standstill and award")])
EVENT_FIELDS = ("id", "tender_id", "lot_id", "status", "status_reason", "supplier_id", "bid_id", "value",
                "award_criteria", "ranking", "disqualified", "decided_at", "standstill_ends_at", "version")


def serialize(award: Award) -> dict:
    return AwardOut(
        id=award.id, tender_id=award.tender_id, lot_id=award.lot_id, status=award.status,
        status_reason=award.status_reason, supplier_id=award.supplier_id, bid_id=award.bid_id,
        value=None if award.amount is None else {"amount": award.amount, "currency": award.currency},
        award_criteria=award.award_criteria, ranking=award.evaluation["ranked"],
        disqualified=award.evaluation["disqualified"], decided_at=award.decided_at,
        standstill_ends_at=award.standstill_ends_at,
        allowed_actions=AWARD_LIFECYCLE.allowed_actions(AwardStatus(award.status)), version=award.version,
    ).model_dump(mode="json")


def emit(uow: UnitOfWork, award: Award, action: str, changes: dict) -> dict:
    uow.session.flush()
    body = serialize(award)
    uow.emit(f"chancery.contracts.award.{action}.v1", award.id, {name: body[name] for name in EVENT_FIELDS})
    uow.audit(f"award.{action}", "award", award.id, changes)
    return body


def ranked_json(ranked: list[Ranked], currency: str) -> list[dict]:
    return [{"rank": entry.rank, "bid_id": entry.offer.bid_id, "supplier_id": entry.offer.supplier_id,
             "price": {"amount": format_amount(entry.offer.price), "currency": currency},
             "score": None if entry.score is None else str(entry.score)} for entry in ranked]


def check_lot_ready(session, tender: Tender, lot_id: str) -> None:
    if tender.status != TenderStatus.ACTIVE:
        raise conflict(f"bids are evaluated on an active tender; this one is {tender.status}", [])
    if is_sealed(tender.submission_deadline, now()):
        raise conflict("the bids are sealed until the submission deadline", [])
    auction = session.scalar(select(Auction).where(Auction.lot_id == lot_id))
    if tender.procurement_method == "reverse_auction" and (auction is None or auction.finished_at is None):
        raise conflict("a reverse-auction lot is evaluated on the finished auction's prices", [])
    if session.scalar(select(Award.id).where(Award.lot_id == lot_id, Award.status.in_(("pending", "active")))):
        raise conflict("the lot already has a pending or active award; cancel it first", [])


def offers_of(bids: list[Bid], request: EvaluationRequest) -> list[Offer]:
    scores = {entry.bid_id: entry.scores for entry in request.scores}
    return [Offer(bid.id, bid.supplier_id, bid.final_amount if bid.final_amount is not None else bid.amount,
                  bid.submitted_at, scores.get(bid.id, {})) for bid in bids]


@awards_api.post("/tenders/<tender_id>/awards",
                 summary="Evaluate a lot's bids: an award pending through the standstill, or unsuccessful",
                 responses={201: AwardOut, **problem_responses(404, 409, *BODY_PROBLEMS)})
@allow(*PROCUREMENT)
@idempotent
def evaluate(path: TenderPath, body: EvaluationRequest):
    with unit_of_work() as uow:
        tender = find(uow.session, Tender, path.tender_id, "tender", for_update=True)
        lot = lot_of(uow.session, tender, body.lot_id)
        check_lot_ready(uow.session, tender, lot.id)
        bids = uow.session.scalars(select(Bid).where(Bid.lot_id == lot.id, Bid.status.in_(("pending", "valid")))
                                   .order_by(Bid.submitted_at, Bid.id)).all()
        by_id = {bid.id: bid for bid in bids}
        reasons = {entry.bid_id: entry.reason for entry in body.disqualified}
        if unknown := set(reasons) - set(by_id):
            raise invalid("disqualified", f"no bid {sorted(unknown)[0]} is open on this lot")
        valid = [bid for bid in bids if bid.id not in reasons]
        try:
            if tender.award_criteria == AwardCriteria.RATED_CRITERIA:
                criteria = [Criterion(c["name"], Decimal(c["weight"])) for c in tender.criteria]
                ranked = rank_by_criteria(offers_of(valid, body), criteria)
            else:
                ranked = rank_by_price(offers_of(valid, body))
        except EvaluationProblem as error:
            raise invalid(error.field, error) from error
        for bid in bids:
            disqualified = bid.id in reasons
            bid.status, bid.status_reason = ("disqualified", reasons[bid.id]) if disqualified else ("valid", None)
            bid.version += 1
            emit_bid(uow, bid, tender, "disqualified" if disqualified else "qualified",
                     {"status": bid.status, "reason": bid.status_reason})
        winner = ranked[0].offer if ranked else None
        decided_at = now()
        award = Award(
            tender_id=tender.id, lot_id=lot.id, currency=tender.currency, award_criteria=tender.award_criteria,
            supplier_id=winner.supplier_id if winner else None, bid_id=winner.bid_id if winner else None,
            amount=winner.price if winner else None, decided_at=decided_at,
            evaluation={"ranked": ranked_json(ranked, tender.currency),
                        "disqualified": [{"bid_id": bid_id, "supplier_id": by_id[bid_id].supplier_id,
                                          "reason": reason} for bid_id, reason in reasons.items()]},
            standstill_ends_at=standstill_ends(decided_at, body.standstill_days) if winner else None,
            status=(AwardStatus.PENDING if winner else AwardStatus.UNSUCCESSFUL).value,
            status_reason=None if winner else ("every bid was disqualified" if bids else "no bids were received"),
            version=1, created_by=uow.actor)
        uow.session.add(award)
        out = emit(uow, award, "evaluated", body.model_dump(mode="json"))
        return created(uow, out, f"/api/v1/awards/{award.id}", award.version)


@awards_api.get("/tenders/<tender_id>/awards", summary="List a tender's awards",
                responses={200: Page[AwardOut], **problem_responses(404)})
@allow(*PROCUREMENT)
def list_awards(path: TenderPath, query: AwardQuery):
    statement = select(Award).where(Award.tender_id == path.tender_id)
    for name in ("status", "lot_id"):
        if getattr(query, name) is not None:
            statement = statement.where(getattr(Award, name) == getattr(query, name))
    statement = apply_sort(statement, query.sort, {"decided_at": Award.decided_at, "amount": Award.amount},
                           [Award.decided_at, Award.id])
    with read_only() as session:
        find(session, Tender, path.tender_id, "tender")
        return json_response(paginate(session, statement, query, serialize))


@awards_api.get("/awards/<award_id>", summary="Read an award", responses={200: AwardOut, **problem_responses(404)})
@allow(*PROCUREMENT)
def get_award(path: AwardPath):
    with read_only() as session:
        award = find(session, Award, path.award_id, "award")
        return record_response(serialize(award), award.version)


def _transition_view(action: str):
    def transition(path: AwardPath, body: TransitionRequest):
        with unit_of_work() as uow:
            award = find(uow.session, Award, path.award_id, "award", for_update=True)
            require_fresh(award.version)
            if action == "activate" and award.status == AwardStatus.PENDING:
                try:
                    check_standstill_over(award.standstill_ends_at, now())
                except EvaluationProblem as error:
                    raise Problem(409, "Standstill period", str(error), slug="standstill",
                                  allowed_actions=["cancel"]) from error
            previous = advance(AWARD_LIFECYCLE, AwardStatus, award, action, body.reason)
            return record_response(emit(uow, award, AWARD_LIFECYCLE.event_action[action],
                                        {"status": [previous, award.status], "reason": body.reason}), award.version)
    return named(f"{action}_award", transition)


for _action in AWARD_LIFECYCLE.transitions:
    awards_api.post(f"/awards/<award_id>/{_action}",
                    summary="Confirm the award after the standstill" if _action == "activate" else
                    "Cancel the award (e.g. a complaint upheld), with a reason",
                    responses={200: AwardOut, **problem_responses(404, 409, 412, *BODY_PROBLEMS)})(
        allow(*PROCUREMENT)(_transition_view(_action)))
