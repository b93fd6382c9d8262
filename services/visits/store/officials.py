"""The registered officials a record's names stand for (decision 0130): a name matches an official when it is,
normalised, their display name or one of their aliases."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from services.visits.domain.programme import normalized
from services.visits.store.models import Official


def named(session: Session, names: Iterable[str]) -> list[Official]:
    keys = {normalized(name) for name in names}
    matches = [Official.name_keys.contains(f"|{key}|", autoescape=True) for key in sorted(keys)]
    return list(session.scalars(select(Official).where(or_(false(), *matches)).order_by(Official.id)))


def official_ids(session: Session | None, names: Iterable[str]) -> list[str]:
    """The ids of the officials `names` name, for events; none outside a session."""
    return [official.id for official in named(session, names)] if session is not None else []
