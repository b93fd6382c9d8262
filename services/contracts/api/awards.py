"""Awards: evaluating a lot's bids by price or weighted criteria, the standstill, award or unsuccessful."""

from __future__ import annotations

from services.contracts.api.award_schemas import AwardOut, AwardPath, AwardQuery, EvaluationRequest
from services.contracts.api.common import PROCUREMENT
from services.contracts.api.tender_schemas import TenderPath
from services.contracts.domain.award import AWARD_LIFECYCLE
from services.contracts.events.contents import value
from services.contracts.operations import awards as operations
from services.contracts.operations.tenders import find_tender
from services.contracts.store.models import Award
from shared.http.views import Resource, blueprint

awards_api = blueprint("awards", __name__, "Evaluation, standstill and award")


def serialize(award: Award) -> dict:
    return AwardOut(
        id=award.id, tender_id=award.tender_id, lot_id=award.lot_id, status=award.status,
        status_reason=award.status_reason, supplier_id=award.supplier_id, bid_id=award.bid_id,
        value=value(award.amount, award.currency), award_criteria=award.award_criteria,
        ranking=award.evaluation["ranked"], disqualified=award.evaluation["disqualified"],
        decided_at=award.decided_at, standstill_ends_at=award.standstill_ends_at,
        allowed_actions=AWARD_LIFECYCLE.allowed_actions(award.status), version=award.version,
    ).model_dump(mode="json")


AWARDS = Resource(awards_api, "/tenders/<tender_id>/awards", "award_id", Award, AwardOut, PROCUREMENT, PROCUREMENT,
                  serialize=serialize, home="/awards")
AWARDS.create("evaluate", "Evaluate a lot's bids: an award pending through the standstill, or unsuccessful",
              EvaluationRequest,
              lambda uow, ids, body: operations.evaluate(uow, *ids, body.lot_id,
                                                         {entry.bid_id: entry.reason for entry in body.disqualified},
                                                         {entry.bid_id: entry.scores for entry in body.scores},
                                                         body.standstill_days, body.model_dump(mode="json")),
              path=TenderPath, problems=(404, 409))
AWARDS.listing("list_awards", "List a tender's awards", AwardQuery, path=TenderPath, parent=find_tender,
               filters=("status", "lot_id"), sortable=("decided_at", "amount"), order=("decided_at",))
AWARDS.read("get_award", "Read an award", AwardPath)
AWARDS.transitions(AwardPath, operations.move_award, AWARD_LIFECYCLE,
                   {"activate": "Confirm the award after the standstill",
                    "cancel": "Cancel the award (e.g. a complaint upheld), with a reason"})
