"""The reverse auction and award use cases on an in-memory unit of work."""

import pytest

from services.contracts.domain.auction import AuctionNotPossible
from services.contracts.domain.refusals import NotInThisState
from services.contracts.operations import auctions, awards
from services.contracts.tests.procurement_story import (
    DEADLINE,
    eur,
    finished_auction,
    published_tender,
    tender_with_bids,
)
from shared.kit.refusals import Conflict, Invalid


def test_an_auction_starts_from_the_sealed_bids_with_the_lowest_one_leading(uow, clock):
    tender, _ = tender_with_bids(uow, clock, "180000.00", "175000.00")
    auction = auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {"rounds": 3})
    data = uow.events[-1][2]
    assert uow.event_types()[-1] == "chancery.contracts.auction.scheduled.v1"
    assert data["best"] == {"amount": "175000.00", "currency": "EUR"} and data["result"] is None
    assert auction.best_amount == 175000


def test_an_auction_needs_two_bidders(uow, clock):
    tender, _ = tender_with_bids(uow, clock, "180000.00")
    with pytest.raises(AuctionNotPossible) as refused:
        auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {})
    assert refused.value.slug == "auction-not-possible"


def test_a_bid_that_does_not_undercut_by_the_step_is_kept_refused_audited_and_not_announced(uow, clock):
    tender, companies = tender_with_bids(uow, clock, "180000.00", "175000.00")
    auction = auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {})
    events = len(uow.events)
    attempt, _ = auctions.place_auction_bid(uow, auction.id, companies[0].id, eur("179800.00"))
    assert not attempt.accepted and "at most 179500.00" in attempt.reason
    assert len(uow.events) == events and uow.audits[-1][0] == "auction-bid.refused"


def test_an_accepted_bid_that_takes_the_lead_is_announced_with_the_new_best_price(uow, clock):
    tender, companies = tender_with_bids(uow, clock, "180000.00", "175000.00")
    auction = auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {})
    auctions.place_auction_bid(uow, auction.id, companies[0].id, eur("174000.00"))
    event_type, _, data = uow.events[-1]
    assert event_type == "chancery.contracts.auction-bid.placed.v1" and data["took_lead"]
    assert data["best"] == {"amount": "174000.00", "currency": "EUR"} and data["label"] == data["leader_label"]


def test_an_auction_is_finished_only_after_its_last_round_and_then_shows_the_ranking(uow, clock):
    tender, companies = tender_with_bids(uow, clock, "180000.00", "175000.00")
    auction = auctions.schedule_auction(uow, tender.id, None, DEADLINE, 3, 300, {})
    with pytest.raises(NotInThisState):
        auctions.finish_auction(uow, auction.id, None)
    clock.advance(seconds=900)
    auctions.finish_auction(uow, auction.id, None)
    assert [place["supplier_id"] for place in uow.events[-1][2]["result"]] == [companies[1].id, companies[0].id]


def test_the_award_goes_to_the_lowest_final_price_and_stands_only_after_the_standstill(uow, clock):
    tender, companies, _ = finished_auction(uow, clock)
    award = awards.evaluate(uow, tender.id, None, {}, {}, 10, {})
    assert award.supplier_id == companies[1].id and award.amount == 174000
    assert uow.event_types()[-3:] == ["chancery.contracts.bid.qualified.v1", "chancery.contracts.bid.qualified.v1",
                                      "chancery.contracts.award.evaluated.v1"]
    with pytest.raises(Conflict) as refused:
        awards.move_award(uow, award.id, "activate", None, None)
    assert refused.value.slug == "standstill" and award.status == "pending"
    clock.advance(days=11)
    awards.move_award(uow, award.id, "activate", None, None)
    assert uow.event_types()[-1] == "chancery.contracts.award.activated.v1"


def test_bids_are_not_evaluated_while_sealed_and_an_unknown_disqualified_bid_is_refused(uow, clock):
    tender = published_tender(uow)
    with pytest.raises(NotInThisState):
        awards.evaluate(uow, tender.id, None, {}, {}, 10, {})
    tender, _, _ = finished_auction(uow, clock)
    with pytest.raises(Invalid) as refused:
        awards.evaluate(uow, tender.id, None, {"no-such-bid": "late"}, {}, 10, {})
    assert refused.value.field == "disqualified"
