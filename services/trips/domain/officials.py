"""An official's time (decision 0131): a trip is not approved while one of its travellers has an engagement in
visits on its days, unless the approver overrides with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shared.kit.refusals import Conflict

# Visits' records that take an official's time, and the status that frees it.
ENGAGEMENTS = {"meeting": "cancelled", "function": "cancelled", "agenda-item": None}
OFFICIAL_CATEGORIES = frozenset({"mayor", "deputy_mayor"})  # named in events even without the register's id


def local_days(starts_at: datetime, ends_at: datetime, zone: str) -> tuple[date, date]:
    """The days an engagement takes at its venue."""
    tz = ZoneInfo(zone)
    return starts_at.astimezone(tz).date(), ends_at.astimezone(tz).date()


def is_official(category: str, official_id: str | None) -> bool:
    """Whether events may name the traveller: an official of the register, or the mayor or a deputy."""
    return official_id is not None or category in OFFICIAL_CATEGORIES


class OfficialBusy(Conflict):
    """A traveller has an engagement in visits on the trip's days; `engagements` names them (a withheld one the
    caller may not know of by its id only, without its title: decision 0190)."""

    def __init__(self, engagements: Iterable[dict[str, str | None]]):
        found = list(engagements)
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        what = f"“{first['title']}”" if "title" in first else f"{first['id']} (confidential)"
        super().__init__(f"{first['official']} has the {first['record']} {what} in visits on "
                         f"{first['starts_on']}{more}; send override_reason to approve anyway",
                         slug="official-busy", engagements=found)
