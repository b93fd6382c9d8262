"""Protocol: order of precedence from a rank table, seating plans, forms of address."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from shared.kit.refusals import Invalid

LANGUAGES = ("en", "ru", "bg")

# The office's default rank table: lower level = higher precedence. Offices replace it through the API
# (PUT /api/v1/protocol/rank-table); an address is a template with {name} and {rank}.
EXCELLENCY = {"en": "Your Excellency", "ru": "Ваше Превосходительство", "bg": "Ваше Превъзходителство"}
DEFAULT_RANK_TABLE: list[dict] = [
    {"key": "head_of_state", "level": 1, "labels": {"en": "Head of State", "ru": "Глава государства",
                                                    "bg": "Държавен глава"}, "address": EXCELLENCY},
    {"key": "head_of_government", "level": 2, "labels": {"en": "Head of Government", "ru": "Глава правительства",
                                                          "bg": "Министър-председател"}, "address": EXCELLENCY},
    {"key": "minister", "level": 3, "labels": {"en": "Minister", "ru": "Министр", "bg": "Министър"},
     "address": EXCELLENCY},
    {"key": "ambassador", "level": 4, "labels": {"en": "Ambassador", "ru": "Посол", "bg": "Посланик"},
     "address": EXCELLENCY},
    {"key": "governor", "level": 5, "labels": {"en": "Governor", "ru": "Губернатор", "bg": "Областен управител"},
     "address": EXCELLENCY},
    {"key": "mayor", "level": 6, "labels": {"en": "Mayor", "ru": "Мэр", "bg": "Кмет"},
     "address": {"en": "Mayor {name}", "ru": "Господин мэр", "bg": "Господин кмет"}},
    {"key": "deputy_minister", "level": 7, "labels": {"en": "Deputy Minister", "ru": "Заместитель министра",
                                                      "bg": "Заместник-министър"},
     "address": {"en": "Deputy Minister {name}", "ru": "{rank} {name}", "bg": "{rank} {name}"}},
    {"key": "deputy_mayor", "level": 8, "labels": {"en": "Deputy Mayor", "ru": "Заместитель мэра",
                                                   "bg": "Заместник-кмет"},
     "address": {"en": "Deputy Mayor {name}", "ru": "{rank} {name}", "bg": "{rank} {name}"}},
    {"key": "consul_general", "level": 9, "labels": {"en": "Consul General", "ru": "Генеральный консул",
                                                     "bg": "Генерален консул"},
     "address": {"en": "Consul General {name}", "ru": "{rank} {name}", "bg": "{rank} {name}"}},
    {"key": "council_chair", "level": 10, "labels": {"en": "Chair of the City Council",
                                                     "ru": "Председатель городского совета",
                                                     "bg": "Председател на общинския съвет"},
     "address": {"en": "Chair {name}", "ru": "{rank} {name}", "bg": "{rank} {name}"}},
    {"key": "head_of_department", "level": 11, "labels": {"en": "Head of Department", "ru": "Руководитель департамента",
                                                          "bg": "Директор на дирекция"},
     "address": {"en": "{name}", "ru": "{name}", "bg": "{name}"}},
    {"key": "official", "level": 12, "labels": {"en": "Official", "ru": "Должностное лицо", "bg": "Служител"},
     "address": {"en": "{name}", "ru": "{name}", "bg": "{name}"}},
]
UNRANKED_LEVEL = 1_000  # people without a rank, or with one the table does not know, come after everyone ranked


class RankTableInvalid(Invalid):
    pass


def check_rank_table(ranks: list[dict]) -> None:
    seen: set[str] = set()
    for position, rank in enumerate(ranks):
        if rank["key"] in seen:
            raise RankTableInvalid(f"ranks.{position}.key", f"rank {rank['key']!r} is listed twice")
        seen.add(rank["key"])
        for part in ("labels", "address"):
            missing = [language for language in LANGUAGES if not rank[part].get(language)]
            if missing:
                raise RankTableInvalid(f"ranks.{position}.{part}", f"needs {', '.join(missing)}")
        for language in LANGUAGES:
            try:
                rank["address"][language].format(name="", rank="")
            except (KeyError, IndexError, ValueError) as error:
                raise RankTableInvalid(f"ranks.{position}.address.{language}",
                                       f"a template may use only {{name}} and {{rank}} ({error!r})") from error


@dataclass(frozen=True)
class Person:
    """Someone to place: a delegation member (`member_id`) or a host official (no member id)."""

    name: str
    rank: str | None
    side: str  # "host" or "guest"
    member_id: str | None = None
    principal: bool = False
    accompanying: bool = False


def level_of(rank: str | None, ranks: dict[str, int]) -> int:
    return ranks.get(rank or "", UNRANKED_LEVEL)


def precedence(people: Iterable[Person], ranks: dict[str, int]) -> list[Person]:
    """Principal first, then by rank, accompanying persons after the delegation proper; equal ranks by name."""
    return sorted(people, key=lambda p: (not p.principal, p.accompanying, level_of(p.rank, ranks), p.name.casefold()))


def seat_order(count: int) -> list[int]:
    """Seats (numbered 1..count clockwise from the host principal's) from most to least honourable:
    the host principal's own, then right, left, second right, second left, …"""
    order = [1]
    for distance in range(1, count):
        for seat in (1 + distance, 1 - distance):
            seat = (seat - 1) % count + 1
            if seat not in order:
                order.append(seat)
    return order[:count]


def seating(hosts: list[Person], guests: list[Person], ranks: dict[str, int]) -> list[tuple[int, Person]]:
    """A round table: the host principal in seat 1, the guest principal at their right (seat 2), then hosts and
    guests alternating outwards in order of precedence. When one side runs out, the other fills the rest."""
    hosts, guests = precedence(hosts, ranks), precedence(guests, ranks)
    count = len(hosts) + len(guests)
    seats: list[tuple[int, Person]] = []
    host_queue, guest_queue = list(hosts), list(guests)
    for seat in seat_order(count):
        distance = min((seat - 1) % count, (1 - seat) % count)
        wants_host = distance % 2 == 0
        queue = host_queue if (wants_host and host_queue) or not guest_queue else guest_queue
        seats.append((seat, queue.pop(0)))
    return sorted(seats, key=lambda pair: pair[0])


SCRIPT_OF_LANGUAGE = {"en": "LATIN", "ru": "CYRILLIC", "bg": "CYRILLIC"}


def script_of(text: str) -> str | None:
    """The script of a name's first letter, as Unicode names it (LATIN, CYRILLIC, CJK, …)."""
    letter = next((char for char in text if char.isalpha()), None)
    return unicodedata.name(letter, "").split(" ")[0] if letter else None


def form_of_address(person: Person, language: str, table: dict[str, dict], name_original: str | None = None) -> str:
    """The salutation for `person` in `language`: the rank's template, with the name written in the
    language's script when the person's own name is (a Russian name in Cyrillic in a Bulgarian letter),
    otherwise in its Latin transliteration."""
    rank = table.get(person.rank or "")
    name = name_original if name_original and script_of(name_original) == SCRIPT_OF_LANGUAGE[language] else person.name
    if rank is None:
        return name
    return rank["address"][language].format(name=name, rank=rank["labels"][language])
