"""Interpreters: who covers which language pair in which mode, and who is free to be booked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from shared.kit.lifecycle import Lifecycle


class Mode(StrEnum):
    CONSECUTIVE = "consecutive"
    SIMULTANEOUS = "simultaneous"


class NeedStatus(StrEnum):
    BOOKED = "booked"
    REQUESTED = "requested"  # nobody in the register covers it, or everyone who does is busy
    CANCELLED = "cancelled"


# A need is booked when it is raised if someone is free; a request is booked later; either may be cancelled.
NEED_LIFECYCLE = Lifecycle(
    record="need",
    status_type=NeedStatus,
    transitions={
        "book": ((NeedStatus.REQUESTED,), NeedStatus.BOOKED),
        "cancel": ((NeedStatus.BOOKED, NeedStatus.REQUESTED), NeedStatus.CANCELLED),
    },
)


class InvalidPair(ValueError):
    pass


def pair_key(pair: str) -> str:
    """`zh-bg` and `bg-zh` are one pair: interpreters work both ways."""
    languages = pair.split("-")
    if len(languages) != 2 or languages[0] == languages[1]:
        raise InvalidPair(f"{pair!r} is not a pair of two different languages (e.g. bg-zh)")
    return "-".join(sorted(languages))


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    pairs: frozenset[str]
    modes: frozenset[str]
    active: bool = True

    def covers(self, pair: str, mode: str) -> bool:
        return self.active and pair_key(pair) in self.pairs and mode in self.modes


class NotCovered(ValueError):
    pass


def check_covers(candidate: Candidate, pair: str, mode: str) -> None:
    if not candidate.covers(pair, mode):
        raise NotCovered(f"{candidate.name} does not interpret {pair_key(pair)} {mode}"
                         + ("" if candidate.active else " (no longer active)"))


def choose(candidates: Iterable[Candidate], pair: str, mode: str, busy: set[str]) -> tuple[Candidate | None, str]:
    """The first free interpreter (by name) covering the pair and mode, or None with why not."""
    covering = sorted((c for c in candidates if c.covers(pair, mode)), key=lambda c: c.name.casefold())
    if not covering:
        return None, f"no interpreter in the register covers {pair_key(pair)} {mode}"
    free = [c for c in covering if c.id not in busy]
    if not free:
        return None, f"every interpreter covering {pair_key(pair)} {mode} is booked at that time"
    return free[0], ""
