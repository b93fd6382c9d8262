"""Awards: lowest price or weighted criteria, disqualification with reasons, the standstill, or unsuccessful."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.award import (
    Criterion,
    EvaluationProblem,
    Offer,
    check_criteria,
    rank_by_criteria,
    rank_by_price,
)
from services.contracts.tests.helpers import (
    TENDER,
    approved_plan_line,
    assert_problem,
    created,
    outbox,
    post,
    published_tender,
    supplier,
)
from services.contracts.tests.test_auctions import bid, ready_auction

AT = datetime(2027, 2, 15, tzinfo=UTC)
DEADLINE = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)


def offer(bid_id, price, minute=0, **scores):
    return Offer(bid_id, f"supplier-{bid_id}", Decimal(price), AT.replace(minute=minute),
                 {name: Decimal(score) for name, score in scores.items()})


@given(st.lists(st.decimals(min_value=Decimal("1.00"), max_value=Decimal("999999.99"), places=2), min_size=1,
                max_size=12))
def test_by_price_the_lowest_wins_and_ranks_follow_the_prices(prices):
    ranked = rank_by_price([offer(str(index), price, minute=index) for index, price in enumerate(prices)])
    assert [entry.offer.price for entry in ranked] == sorted(prices)
    assert [entry.rank for entry in ranked] == list(range(1, len(prices) + 1))


def test_of_equal_prices_the_earlier_bid_wins():
    ranked = rank_by_price([offer("late", "100.00", minute=5), offer("early", "100.00", minute=1)])
    assert ranked[0].offer.bid_id == "early"


def test_weighted_criteria_can_award_a_dearer_bid_of_better_quality():
    criteria = [Criterion("price", Decimal(60)), Criterion("quality", Decimal(40))]
    ranked = rank_by_criteria([offer("cheap", "100000.00", quality=40), offer("good", "110000.00", quality=95)],
                              criteria)
    # cheap: 60 + 16 = 76.00; good: 60 × 100000/110000 = 54.55 + 38 = 92.55
    assert [(entry.offer.bid_id, entry.score) for entry in ranked] == [("good", Decimal("92.55")),
                                                                      ("cheap", Decimal("76.00"))]


@pytest.mark.parametrize("criteria", [
    [Criterion("quality", Decimal(100))],
    [Criterion("price", Decimal(60)), Criterion("quality", Decimal(30))],
    [Criterion("price", Decimal(60)), Criterion("price", Decimal(40))],
])
def test_criteria_without_price_or_not_adding_up_to_100_are_refused(criteria):
    with pytest.raises(EvaluationProblem):
        check_criteria(criteria)


def test_a_bid_without_a_score_for_a_criterion_cannot_be_ranked():
    with pytest.raises(EvaluationProblem, match="no score for 'quality'"):
        rank_by_criteria([offer("a", "1.00")], [Criterion("price", Decimal(50)), Criterion("quality", Decimal(50))])


# --- through the API ---

def open_tender_with_bids(contracts, clock, prices, **tender_changes):
    line = approved_plan_line(contracts, procurement_method="open")
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], "minimum_step": None,
                                                    **tender_changes}).json
    post(contracts, f"/api/v1/tenders/{tender['id']}/publish")
    bids = []
    for index, price in enumerate(prices):
        company = supplier(contracts, identifier=f"HRB {tender['id'][:8]}-{index}")
        clock.advance(minutes=1)
        bids.append(created(contracts, f"/api/v1/tenders/{tender['id']}/bids",
                            {"supplier_id": company["id"], "value": {"amount": price, "currency": "EUR"}}).json)
    return tender, bids


def test_bids_are_not_evaluated_while_sealed(contracts, clock):
    tender, _ = open_tender_with_bids(contracts, clock, ["100.00"])
    assert "sealed" in assert_problem(post(contracts, f"/api/v1/tenders/{tender['id']}/awards"), 409)["detail"]


def test_the_lowest_valid_price_is_awarded_after_disqualification_and_stands_after_the_standstill(contracts, clock):
    tender, bids = open_tender_with_bids(contracts, clock, ["150000.00", "120000.00", "130000.00"])
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {
        "standstill_days": 10, "disqualified": [{"bid_id": bids[1]["id"], "reason": "No proof of capacity"}]}).json
    assert award["status"] == "pending" and award["bid_id"] == bids[2]["id"]
    assert award["value"] == {"amount": "130000.00", "currency": "EUR"}
    assert [entry["bid_id"] for entry in award["ranking"]] == [bids[2]["id"], bids[0]["id"]]
    assert award["disqualified"] == [{"bid_id": bids[1]["id"], "supplier_id": bids[1]["supplier_id"],
                                      "reason": "No proof of capacity"}]
    assert award["standstill_ends_at"] == "2027-03-02T12:00:00Z"
    listed = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/bids").json["items"]
    assert {bid["id"]: bid["status"] for bid in listed} == {bids[0]["id"]: "valid", bids[1]["id"]: "disqualified",
                                                          bids[2]["id"]: "valid"}
    early = post(contracts, f"/api/v1/awards/{award['id']}/activate")
    assert "standstill" in assert_problem(early, 409)["detail"]
    clock.advance(days=10)
    active = post(contracts, f"/api/v1/awards/{award['id']}/activate")
    assert active.status_code == 200 and active.json["status"] == "active"
    assert [t for t, _ in outbox(contracts)][-2:] == ["chancery.contracts.award.evaluated.v1",
                                                      "chancery.contracts.award.activated.v1"]


def test_a_lot_whose_every_bid_is_disqualified_is_unsuccessful_with_the_reason(contracts, clock):
    tender, bids = open_tender_with_bids(contracts, clock, ["150000.00"])
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {
        "disqualified": [{"bid_id": bids[0]["id"], "reason": "Late bank guarantee"}]}).json
    assert award["status"] == "unsuccessful" and award["status_reason"] == "every bid was disqualified"
    assert award["supplier_id"] is None and award["allowed_actions"] == []


def test_a_second_evaluation_waits_until_the_pending_award_is_cancelled_with_a_reason(contracts, clock):
    tender, _ = open_tender_with_bids(contracts, clock, ["150000.00", "140000.00"])
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {}).json
    assert_problem(post(contracts, f"/api/v1/tenders/{tender['id']}/awards"), 409)
    assert_problem(post(contracts, f"/api/v1/awards/{award['id']}/cancel"), 422, "reason")
    cancelled = post(contracts, f"/api/v1/awards/{award['id']}/cancel", {"reason": "Complaint upheld"})
    assert cancelled.json["status"] == "cancelled"
    assert post(contracts, f"/api/v1/tenders/{tender['id']}/awards").status_code == 201


def test_a_rated_criteria_tender_publishes_its_weights_and_is_awarded_on_the_scores(contracts, clock):
    criteria = [{"name": "price", "weight": "60"}, {"name": "quality", "weight": "40"}]
    tender, bids = open_tender_with_bids(contracts, clock, ["100000.00", "110000.00"],
                                         award_criteria="ratedCriteria", criteria=criteria)
    assert tender["criteria"] == [{"name": "price", "weight": "60"}, {"name": "quality", "weight": "40"}]
    clock.at = DEADLINE
    missing = post(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"scores": [
        {"bid_id": bids[0]["id"], "scores": {"quality": "40"}}]})
    assert_problem(missing, 422, "scores")
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"scores": [
        {"bid_id": bids[0]["id"], "scores": {"quality": "40"}},
        {"bid_id": bids[1]["id"], "scores": {"quality": "95"}}]}).json
    assert award["bid_id"] == bids[1]["id"]
    assert [entry["score"] for entry in award["ranking"]] == ["92.55", "76.00"]


def test_a_rated_criteria_tender_without_criteria_is_refused(contracts):
    line = approved_plan_line(contracts, procurement_method="open")
    response = post(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], "minimum_step": None,
                                                   "award_criteria": "ratedCriteria"})
    assert_problem(response, 422, "criteria")


def test_a_reverse_auction_lot_is_evaluated_only_on_the_finished_auction(contracts, clock):
    tender = published_tender(contracts)
    clock.at = DEADLINE
    problem = assert_problem(post(contracts, f"/api/v1/tenders/{tender['id']}/awards"), 409)
    assert "finished auction" in problem["detail"]


def test_after_the_auction_the_award_goes_to_the_lowest_final_price(contracts, clock):
    tender, companies, auction = ready_auction(contracts, clock)  # sealed: 180000.00 and 175000.00
    bid(contracts, auction, companies[0], "172000.00")
    clock.advance(seconds=900)
    post(contracts, f"/api/v1/auctions/{auction['id']}/finish")
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {}).json
    assert award["supplier_id"] == companies[0]["id"]
    assert award["value"] == {"amount": "172000.00", "currency": "EUR"}
