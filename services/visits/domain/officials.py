"""Officials of the city and their time: known by the identity provider's subject, matched in older records by
their names (decision 0130), and away while a trip abroad holds them (decision 0131)."""

from __future__ import annotations

from collections.abc import Iterable

from shared.kit.names import name_key
from shared.kit.refusals import Conflict

# A trip holds its travellers from its approval; a closed trip took place as approved.
AWAY_STATES = frozenset({"approved", "closed"})
SHOWN_TRIP_STATES = AWAY_STATES | {"submitted"}  # an official's calendar shows a trip awaiting approval too


def name_keys(display_name: str, aliases: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name_key(name) for name in (display_name, *aliases)))


class OfficialBusy(Conflict):
    """An official taking part is away on a trip abroad at that time; `trips` names them (a withheld trip the
    caller may not know of by its id only, without its title: decision 0190)."""

    def __init__(self, trips: list[dict[str, str]]):
        first = trips[0]
        more = f" (and {len(trips) - 1} more)" if len(trips) > 1 else ""
        trip = f"“{first['title']}”" if "title" in first else f"{first['trip_id']} (confidential)"
        super().__init__(f"{first['official']} is abroad on the trip {trip} ({first['starts_on']}–"
                         f"{first['ends_on']}){more}; send override_reason to place them anyway",
                         slug="official-busy", trips=trips)


class NameTaken(Conflict):
    def __init__(self, name: str, official_id: str):
        super().__init__(f"the name {name!r} already names the official {official_id}", slug="official-name-taken",
                         official_id=official_id)
