"""Electronic reverse auctions: rounds, anonymous bidders, undercutting by the step, refusals kept with reasons."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.contracts.domain.auction import BidRefused, Rounds, anonymous_labels, check_auction_bid, takes_the_lead
from services.contracts.tests.helpers import assert_problem, created, outbox, post, published_tender, supplier

START = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)
ROUNDS = Rounds(START, 300, 3)


@given(st.integers(min_value=-10_000, max_value=2_000))
def test_the_round_at_any_instant_is_the_one_whose_time_box_holds_it(offset):
    at = START + timedelta(seconds=offset)
    number = ROUNDS.current(at)
    if 0 <= offset < 900:
        assert number == offset // 300 + 1
        assert ROUNDS.round_ends_at(number) - timedelta(seconds=300) <= at < ROUNDS.round_ends_at(number)
    else:
        assert number is None


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000"), places=2))
def test_a_bid_is_taken_only_when_it_undercuts_the_bidders_last_price_by_the_step(amount):
    last, step = Decimal("180000.00"), Decimal("500.00")
    if amount <= last - step:
        assert check_auction_bid(rounds=ROUNDS, now=START, amount=amount, last_amount=last, minimum_step=step,
                                 last_round_bid=None) == 1
    else:
        with pytest.raises(BidRefused, match="at most 179500.00"):
            check_auction_bid(rounds=ROUNDS, now=START, amount=amount, last_amount=last, minimum_step=step,
                              last_round_bid=None)


def test_a_bidder_bids_once_per_round_and_never_outside_the_rounds():
    kwargs = {"amount": Decimal("1"), "last_amount": Decimal("100"), "minimum_step": Decimal("1")}
    with pytest.raises(BidRefused, match="already bid in round 2"):
        check_auction_bid(rounds=ROUNDS, now=START + timedelta(seconds=301), last_round_bid=2, **kwargs)
    with pytest.raises(BidRefused, match="has not started"):
        check_auction_bid(rounds=ROUNDS, now=START - timedelta(seconds=1), last_round_bid=None, **kwargs)
    with pytest.raises(BidRefused, match="is over"):
        check_auction_bid(rounds=ROUNDS, now=START + timedelta(seconds=900), last_round_bid=None, **kwargs)


def test_an_equal_price_never_takes_the_lead_from_the_earlier_one():
    assert not takes_the_lead(Decimal("100.00"), Decimal("100.00"))
    assert takes_the_lead(Decimal("99.99"), Decimal("100.00"))


def test_labels_are_a_shuffled_numbering_of_the_bidders():
    assert sorted(anonymous_labels(12), key=lambda label: int(label.split()[1])) == [
        f"Bidder {n}" for n in range(1, 13)]


# --- through the API, on SQLite, with the frozen clock ---

def ready_auction(contracts, clock, prices=("180000.00", "175000.00")):
    tender = published_tender(contracts)
    companies = [supplier(contracts, identifier=f"HRB {index}") for index in range(len(prices))]
    for company, price in zip(companies, prices, strict=True):
        created(contracts, f"/api/v1/tenders/{tender['id']}/bids",
                {"supplier_id": company["id"], "value": {"amount": price, "currency": "EUR"}})
    clock.at = START
    auction = created(contracts, f"/api/v1/tenders/{tender['id']}/auctions",
                      {"starts_at": START.isoformat(), "rounds": 3, "round_seconds": 300}).json
    return tender, companies, auction


def bid(contracts, auction, company, amount, client=None):
    body = {"supplier_id": company["id"], "value": {"amount": amount, "currency": "EUR"}}
    if client is None:
        return post(contracts, f"/api/v1/auctions/{auction['id']}/bids", body)
    return client.post(f"/api/v1/auctions/{auction['id']}/bids", json=body, headers=contracts.auth("procurement"))


def test_an_auction_is_scheduled_only_after_the_deadline_and_with_two_bidders(contracts, clock):
    tender = published_tender(contracts)
    company = supplier(contracts)
    created(contracts, f"/api/v1/tenders/{tender['id']}/bids",
            {"supplier_id": company["id"], "value": {"amount": "180000.00", "currency": "EUR"}})
    path = f"/api/v1/tenders/{tender['id']}/auctions"
    early = post(contracts, path, {"starts_at": START.isoformat()})
    assert "submission deadline" in assert_problem(early, 409)["reason"]
    clock.at = START
    alone = post(contracts, path, {"starts_at": START.isoformat()})
    assert "at least two bidders" in assert_problem(alone, 409)["reason"]


def test_bidders_appear_only_as_labels_until_the_auction_is_finished(contracts, clock):
    _, companies, auction = ready_auction(contracts, clock)
    assert auction["phase"] == "running" and auction["current_round"] == 1
    assert auction["best"] == {"amount": "175000.00", "currency": "EUR"}
    assert sorted(p["label"] for p in auction["participants"]) == ["Bidder 1", "Bidder 2"]
    placed = bid(contracts, auction, companies[0], "174000.00").json
    texts = [contracts.call("GET", f"/api/v1/auctions/{auction['id']}").get_data(as_text=True),
             contracts.call("GET", f"/api/v1/auctions/{auction['id']}/bids").get_data(as_text=True),
             str(outbox(contracts)[-1])]
    assert all(company["id"] not in text for text in texts for company in companies)
    assert placed["took_lead"] is True and placed["round"] == 1


def test_a_bid_that_does_not_undercut_by_the_step_is_refused_with_the_reason_and_kept(contracts, clock):
    _, companies, auction = ready_auction(contracts, clock)
    refused = bid(contracts, auction, companies[1], "174600.00")
    assert "at most 174500.00" in assert_problem(refused, 409)["reason"]
    attempts = contracts.call("GET", f"/api/v1/auctions/{auction['id']}/bids?accepted=false").json["items"]
    assert [(a["price"]["amount"], a["accepted"]) for a in attempts] == [("174600.00", False)]
    assert "at most" in attempts[0]["reason"]
    audit = contracts.call("GET", f"/api/v1/audit-records?record_id={auction['id']}", roles="auditor").json
    assert "auction-bid.refused" in {record["action"] for record in audit["items"]}


def test_a_late_bid_is_refused_and_the_result_is_posted_to_the_tenders_bids(contracts, clock):
    tender, companies, auction = ready_auction(contracts, clock)
    assert bid(contracts, auction, companies[0], "170000.00").status_code == 201
    clock.advance(seconds=300)
    assert bid(contracts, auction, companies[1], "169000.00").status_code == 201
    assert_problem(post(contracts, f"/api/v1/auctions/{auction['id']}/finish"), 409)
    clock.advance(seconds=600)
    late = bid(contracts, auction, companies[0], "160000.00")
    assert "is over" in assert_problem(late, 409)["reason"]
    finished = post(contracts, f"/api/v1/auctions/{auction['id']}/finish").json
    assert finished["phase"] == "finished"
    assert [(p["supplier_id"], p["price"]["amount"]) for p in finished["result"]] == [
        (companies[1]["id"], "169000.00"), (companies[0]["id"], "170000.00")]
    bids = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/bids").json["items"]
    assert {b["supplier_id"]: b["final_value"]["amount"] for b in bids} == {
        companies[0]["id"]: "170000.00", companies[1]["id"]: "169000.00"}
    assert outbox(contracts)[-1][0] == "chancery.contracts.auction.finished.v1"


def concurrently(contracts, auction, bids):
    """Send the bids from threads released at the same instant, each with its own client."""
    barrier = threading.Barrier(len(bids))
    answers = [None] * len(bids)

    def send(index, company, amount):
        client = contracts.app.test_client()
        barrier.wait()
        answers[index] = bid(contracts, auction, company, amount, client=client)

    threads = [threading.Thread(target=send, args=(index, *pair)) for index, pair in enumerate(bids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_two_bids_at_the_same_instant_and_the_same_price_cannot_both_take_the_lead(contracts, clock):
    _, companies, auction = ready_auction(contracts, clock, prices=("180000.00", "180000.00"))
    answers = concurrently(contracts, auction, [(companies[0], "170000.00"), (companies[1], "170000.00")])
    assert [answer.status_code for answer in answers] == [201, 201]
    assert sorted(answer.json["took_lead"] for answer in answers) == [False, True]
    leader = next(answer.json for answer in answers if answer.json["took_lead"])
    standing = contracts.call("GET", f"/api/v1/auctions/{auction['id']}").json
    assert standing["leader_label"] == leader["label"] and leader["sequence"] == 1


def test_one_bidders_two_bids_at_the_same_instant_are_taken_once(contracts, clock):
    _, companies, auction = ready_auction(contracts, clock)
    answers = concurrently(contracts, auction, [(companies[0], "170000.00"), (companies[0], "169000.00")])
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert "already bid in round 1" in refused.json["reason"]


def test_an_auctions_standing_is_read_at_once_and_answered_304_until_a_bid_or_the_clock_changes_it(contracts, clock):
    _, companies, auction = ready_auction(contracts, clock)
    path = f"/api/v1/auctions/{auction['id']}/standing?bids=1"
    first = contracts.call("GET", path, roles="procurement")
    assert first.status_code == 200 and first.json["auction"]["version"] == auction["version"]
    assert first.json["bids"] == []
    unchanged = contracts.call("GET", path, roles="procurement", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    placed = bid(contracts, auction, companies[0], "174000.00").json
    after_bid = contracts.call("GET", path, roles="procurement", headers={"If-None-Match": first.headers["ETag"]})
    assert after_bid.status_code == 200 and after_bid.json["bids"][0]["sequence"] == placed["sequence"]
    assert after_bid.json["auction"]["best"] == {"amount": "174000.00", "currency": "EUR"}
    clock.advance(seconds=300)
    next_round = contracts.call("GET", path, roles="procurement",
                                headers={"If-None-Match": after_bid.headers["ETag"]})
    assert next_round.status_code == 200 and next_round.json["auction"]["current_round"] == 2
