"""The live auction's watch (decisions 0110 and 0180) against a stand-in for the contracts API: it asks for the
standing with the ETag it last handed on, and hands on only what changed."""

from __future__ import annotations

import threading

from services.console import auction_watch
from services.console.auction_watch import END, AuctionWatch
from services.console.settings import load_console_settings
from services.console.upstream import Answer

AUCTION = {"id": "a1", "version": 1, "phase": "running", "current_round": 1}


class Contracts:
    """Answers the standing from a list of answers in turn (the last one over and over), recording each request."""

    def __init__(self, answers: list[Answer]):
        self.answers = answers
        self.asked: list[tuple[str, dict | None]] = []
        self.done = threading.Event()

    def call(self, token, method, service, path, *, params=None, headers=None, json=None) -> Answer:
        self.asked.append((path, headers))
        if len(self.asked) >= len(self.answers):
            self.done.set()
        return self.answers[min(len(self.asked), len(self.answers)) - 1]


def standing(version: int, sequence: int) -> Answer:
    return Answer(200, {"auction": {**AUCTION, "version": version}, "bids": [{"sequence": sequence}]},
                  {"etag": f'"{version}.running.1"'})


def watched(answers: list[Answer]) -> tuple[Contracts, tuple, AuctionWatch]:
    contracts = Contracts(answers)
    settings = load_console_settings({"CONSOLE_STREAM_SECONDS": "5", "CONSOLE_MAX_STREAMS": "10"})
    watch = AuctionWatch(contracts, settings)  # type: ignore[arg-type]
    joined = watch.join("a1", "token")
    assert joined is not None
    return contracts, joined, watch


def stopped(watch: AuctionWatch) -> bool:
    for _ in range(500):
        if "a1" not in watch.watches:
            return True
        threading.Event().wait(0.01)
    return False


def test_the_watch_hands_on_a_changed_standing_once_and_names_the_one_it_has(monkeypatch):
    monkeypatch.setattr(auction_watch, "POLL_SECONDS", 0.001)
    monkeypatch.setattr(auction_watch, "LINGER_SECONDS", 0)
    contracts, joined, watch = watched([standing(1, 0), Answer(304), Answer(304), standing(2, 1), Answer(304)])
    assert contracts.done.wait(5)
    listener = joined[1]
    shown = [listener.get(timeout=5), listener.get(timeout=5)]
    assert [(auction["version"], bids[0]["sequence"]) for auction, bids in shown] == [(1, 0), (2, 1)]
    assert listener.empty()  # a 304 hands on nothing
    assert contracts.asked[0] == ("/auctions/a1/standing", None)
    assert contracts.asked[1][1] == {"If-None-Match": '"1.running.1"'}
    assert contracts.asked[4][1] == {"If-None-Match": '"2.running.1"'}
    watch.leave(*joined)
    assert stopped(watch)  # no page left: it stops asking


def test_an_auction_gone_or_refused_ends_every_page_of_it(monkeypatch):
    monkeypatch.setattr(auction_watch, "POLL_SECONDS", 0.001)
    _contracts, (_watch, listener, _give_back), watch = watched([standing(1, 0), Answer(404)])
    assert listener.get(timeout=5)[0]["version"] == 1
    assert listener.get(timeout=5) is END
    assert stopped(watch)
