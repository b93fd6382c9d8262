"""Partners abroad: their kinds, names in several scripts, and the relationships the city keeps with them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.kit.refusals import Conflict, Invalid


class PartnerKind(StrEnum):
    CITY = "city"
    CAPITAL = "capital"
    REGION = "region"
    AUTHORITY = "authority"


class RelationshipType(StrEnum):
    TWIN_CITY = "twin_city"
    PARTNER_CITY = "partner_city"
    COOPERATION_AGREEMENT = "cooperation_agreement"


def search_key(text: str) -> str:
    """The form names are compared in: case-folded, accents and other combining marks dropped.

    "Sofia", "SOFIA" and "Sofía" share one key, as do "София" and "софия"; scripts are kept apart.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def search_text(names: list[str]) -> str:
    """Every name of a partner in its search form, one per line, so that a substring never spans two."""
    return "\n".join(dict.fromkeys(search_key(name) for name in names))


class InvalidPeriod(Invalid):
    def __init__(self, message: str):
        super().__init__("ended_on", message)


class OverlappingRelationship(Conflict):
    def __init__(self, message: str):
        super().__init__(message, slug="overlapping-relationship")


@dataclass(frozen=True)
class Period:
    """A relationship's dates; an open end means it still holds."""

    starts_on: date
    ends_on: date | None = None

    def __post_init__(self):
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise InvalidPeriod("a relationship cannot end before it was established")

    def overlaps(self, other: Period) -> bool:
        self_end, other_end = self.ends_on or date.max, other.ends_on or date.max
        return self.starts_on <= other_end and other.starts_on <= self_end

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def check_no_overlap(kind: RelationshipType, period: Period,
                     others: list[tuple[RelationshipType, Period]]) -> None:
    """A partner has at most one relationship of each type at any time (twinned once, not twice)."""
    for other_kind, other_period in others:
        if other_kind == kind and period.overlaps(other_period):
            raise OverlappingRelationship(
                f"a {kind.value} relationship with this partner already holds from {other_period.starts_on}")
