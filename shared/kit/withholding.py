"""Confidential and embargoed records (decision 0190): who may know of a withheld record, and what its events say.

A record is **withheld** while it is confidential or its embargo has not passed. Only the people and roles its
`need_to_know` names, its creator and `admin` know of it; for everyone else it does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

OPEN, CONFIDENTIAL = "open", "confidential"
SEES_EVERYTHING = "admin"
# The fields an event about a withheld record adds to its data (its schema lists them; `EventCatalog.contents`
# leaves them to `marking`).
MARKING_FIELDS = ("confidential", "embargoed", "embargoed_until", "need_to_know")
MARKING = ("confidentiality", "embargoed_until", "need_to_know")  # a record's own fields that mark it
# What a read model shows of another service's withheld record, in place of its title, to whoever may not know of it
BUSY = "Busy (confidential)"


class Marked(Protocol):
    confidentiality: str
    embargoed_until: datetime | None
    created_by: str

    @property
    def need_to_know(self) -> dict[str, list[str]]: ...


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and when: the signed-in person (`subject`, `roles`) at the request's time."""

    subject: str
    roles: frozenset[str]
    now: datetime


def embargoed(record: Marked, now: datetime) -> bool:
    return record.embargoed_until is not None and record.embargoed_until > now


def withheld(record: Marked, now: datetime) -> bool:
    return record.confidentiality == CONFIDENTIAL or embargoed(record, now)


def may_know(record: Marked, viewer: Viewer | None) -> bool:
    """Whether `viewer` may know of `record`; no viewer is the service itself (its worker, a migration)."""
    if viewer is None or not withheld(record, viewer.now):
        return True
    named = record.need_to_know
    return (SEES_EVERYTHING in viewer.roles or viewer.subject == record.created_by
            or viewer.subject in named["people"] or bool(viewer.roles & set(named["roles"])))


def marking(record: Marked, now: datetime) -> dict[str, Any]:
    """What an event about `record` adds to its data while the record is withheld (nothing once it is not); its
    `need_to_know` names the record's creator too, who may always know of it."""
    if not withheld(record, now):
        return {}
    named = record.need_to_know
    return {"confidential": record.confidentiality == CONFIDENTIAL, "embargoed": embargoed(record, now),
            "embargoed_until": record.embargoed_until,
            "need_to_know": {"people": sorted({*named["people"], record.created_by}), "roles": named["roles"]}}


def is_withheld_data(data: Any) -> bool:
    """Whether an event's data is about a record withheld when it was sent (`marking` marked it)."""
    return isinstance(data, dict) and bool(data.get("confidential") or data.get("embargoed"))


def names_list(names: Iterable[str]) -> str:
    """Names kept in one text column as `,a,b,`: a name is then found with one LIKE on either database."""
    kept = sorted({name.strip() for name in names if name.strip()})
    return f",{','.join(kept)}," if kept else ""


def listed_names(column: str | None) -> list[str]:
    return [name for name in (column or "").split(",") if name]
