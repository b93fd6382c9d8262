"""How services name an official to one another (decision 0130): by the register's id (the identity provider's
subject) where it is known, otherwise by a name compared normalised. Each service keeps an index of these keys
beside a record (`|id:sub|ivan sergeev|`) so that SQL finds a person's records by `contains("|key|")`."""

from __future__ import annotations

from collections.abc import Iterable


def name_key(name: str) -> str:
    """A name as records compare it: blanks collapsed, case folded."""
    return " ".join(name.split()).casefold()


def id_key(official_id: str) -> str:
    """An id as an index holds it: ids and names never collide."""
    return f"id:{official_id}"


def person_keys(official_id: str | None, name: str) -> list[str]:
    return [*([id_key(official_id)] if official_id else []), name_key(name)]


def index_of(keys: Iterable[str]) -> str:
    return f"|{'|'.join(dict.fromkeys(keys))}|"


def keys_in(index: str) -> list[str]:
    return [key for key in index.strip("|").split("|") if key]
