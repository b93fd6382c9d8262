"""The register of officials (decision 0130), the officials' time abroad as trips' events tell it, and the check
that keeps an official out of an engagement while a trip holds them abroad (decision 0131)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, or_, select
from sqlalchemy.orm import Session

from services.visits.domain.officials import (
    AWAY_STATES,
    SHOWN_TRIP_STATES,
    NameTaken,
    OfficialBusy,
    name_keys,
)
from services.visits.domain.programme import Slot, local, normalized
from services.visits.events import contents
from services.visits.operations.records import find_current, set_fields
from services.visits.store.models import (
    AgendaItem,
    AgendaParticipant,
    Meeting,
    Official,
    OfficialFunction,
    TripAbsence,
    Visit,
)
from services.visits.store.officials import named
from shared.db import viewer_of, visible_to
from shared.kit.names import id_key, index_of, keys_in, person_keys
from shared.kit.refusals import Conflict, Invalid
from shared.kit.withholding import Viewer, may_know
from shared.uow import UnitOfWork


def keep_names_free(session: Session, official: Official) -> None:
    """No two officials answer to one name: a record naming it would stand for both."""
    keys = keys_in(official.name_keys)
    for other in named(session, keys):
        if other.id != official.id:
            taken = next(key for key in keys if f"|{key}|" in other.name_keys)
            raise NameTaken(taken, other.id)


def set_names(official: Official) -> None:
    official.name_keys = index_of(name_keys(official.display_name, official.aliases))


def register_official(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Official:
    if uow.session.get(Official, fields["id"]) is not None:
        raise Conflict(f"the official {fields['id']} is already registered", slug="official-name-taken",
                       official_id=fields["id"])
    official = Official(**fields, version=1, created_by=uow.actor)
    set_names(official)
    keep_names_free(uow.session, official)
    uow.session.add(official)
    uow.record_change("official", "registered", official, contents.official, changes)
    return official


def update_official(uow: UnitOfWork, official_id: str, fields: dict[str, Any], changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Official:
    official = find_current(uow.session, Official, official_id, "official", expected_version)
    if not fields:
        return official
    set_fields(official, fields)
    set_names(official)
    keep_names_free(uow.session, official)
    official.version += 1
    uow.record_change("official", "updated", official, contents.official, changes)
    return official


def display_name(session: Session, field: str, official_id: str) -> str:
    official = session.get(Official, official_id)
    if official is None:
        raise Invalid(field, f"no official {official_id} in the register")
    return official.display_name


def name_of(session: Session, fields: dict[str, Any]) -> None:
    """A meeting's `official` from the `official_id` among `fields` (popped), if one is sent: their display name."""
    official_id = fields.pop("official_id", None)
    if official_id is not None:
        fields["official"] = display_name(session, "official_id", official_id)


def names_of(session: Session, fields: dict[str, Any], names: str, ids: str) -> None:
    """A function's or agenda item's officials from the names and the register's ids among `fields`: when `ids`
    is sent (popped), `names` becomes the names sent, then the display names of the ids, each once; so a change
    sending either sets the officials to those the two name together (decision 0192)."""
    if ids not in fields:
        return
    given = [display_name(session, f"{ids}.{position}", official_id)
             for position, official_id in enumerate(fields.pop(ids) or [])]
    fields[names] = list(dict.fromkeys([*(fields.get(names) or []), *given]))


def keys_of(session: Session, names: frozenset[str]) -> set[str]:
    """The keys the officials `names` name are known by: each name, and a registered official's id and every
    one of their names (a trip may name them otherwise than the meeting does)."""
    keys = {normalized(name) for name in names}
    for official in named(session, names):
        keys |= {id_key(official.id), *keys_in(official.name_keys)}
    return keys


def note_trip(uow: UnitOfWork, data: dict[str, Any]) -> None:
    """Keep the trip's newest version and its marking: a redelivered or late event (an older version) changes
    nothing; a withheld trip's release, of the version kept, does (decision 0190)."""
    absence = uow.session.get(TripAbsence, data["id"])
    if absence is not None and (absence.version > data["version"] or
                                (absence.version == data["version"] and not absence.released_by(data))):
        return
    if absence is None:
        absence = TripAbsence(trip_id=data["id"])
        uow.session.add(absence)
    officials = [{"official_id": person.get("official_id"), "name": person["name"]}
                 for person in data.get("officials", [])]
    set_fields(absence, {
        "title": data["title"], "status": data["status"], "countries": data["countries"],
        "starts_on": date.fromisoformat(data["starts_on"]), "ends_on": date.fromisoformat(data["ends_on"]),
        "officials": officials, "version": data["version"],
        "officials_index": index_of(key for person in officials
                                    for key in person_keys(person["official_id"], person["name"]))})
    absence.hear_marking(data)


def trips_away(session: Session, keys: set[str], first: date, last: date) -> list[dict[str, str]]:
    """The trips abroad holding one of the officials known by `keys` on a day from `first` to `last`; a withheld
    one the session's viewer may not know of by its id and days only (decision 0190)."""
    absences = session.scalars(select(TripAbsence).where(
        TripAbsence.status.in_(AWAY_STATES), TripAbsence.starts_on <= last, TripAbsence.ends_on >= first)
        .order_by(TripAbsence.starts_on, TripAbsence.trip_id))
    found = []
    for absence in absences:
        travelling = [person["name"] for person in absence.officials
                      if keys & set(person_keys(person["official_id"], person["name"]))]
        if travelling:
            found.append({"trip_id": absence.trip_id, "official": travelling[0],
                          "starts_on": absence.starts_on.isoformat(), "ends_on": absence.ends_on.isoformat(),
                          **({"title": absence.title} if may_know(absence, viewer_of(session)) else {})})
    return found


def refuse_absences(uow: UnitOfWork, candidate: Slot, time_zone: str, override_reason: str | None) -> None:
    """OfficialBusy naming the trips that hold one of the candidate's officials abroad on its days, unless the
    caller overrides with a reason, which is audited with the trips overridden."""
    if not candidate.officials:
        return
    keys = keys_of(uow.session, candidate.officials)
    first, last = local(candidate.starts_at, time_zone).date(), local(candidate.ends_at, time_zone).date()
    found = trips_away(uow.session, keys, first, last)
    if not found:
        return
    if override_reason is None:
        raise OfficialBusy(found)
    uow.audit("official-busy.overridden", candidate.record, candidate.id, {"reason": override_reason,
                                                                          "trips": found})


@dataclass(frozen=True)
class OfficialTime:
    """An official's engagements in visits and their trips abroad, each in time order, as `viewer` reads them."""

    items: list[tuple[AgendaItem, Visit]]
    meetings: list[Meeting]
    functions: list[OfficialFunction]
    trips: list[TripAbsence]
    viewer: Viewer | None

    def knows(self, trip: TripAbsence) -> bool:
        """Whether the viewer may know of the trip: if not, its time is shown as busy only (decision 0190)."""
        return may_know(trip, self.viewer)


def any_key(column: Any, keys: set[str]) -> ColumnElement[bool]:
    return or_(false(), *(column.contains(f"|{key}|", autoescape=True) for key in sorted(keys)))


def official_time(session: Session, keys: set[str], on_or_after: date | None = None,
                  before: date | None = None) -> OfficialTime:
    """What the official known by `keys` (keys_of) does: what ends on or after `on_or_after` and starts before
    `before` (days in UTC; a trip's own days)."""
    names = sorted(key for key in keys if not key.startswith(id_key("")))
    low = datetime.combine(on_or_after, time(tzinfo=UTC)) if on_or_after else None
    high = datetime.combine(before, time(tzinfo=UTC)) if before else None

    def span(starts: Any, ends: Any, first: Any, last: Any) -> list[ColumnElement[bool]]:
        return [*([ends >= first] if first is not None else []), *([starts < last] if last is not None else [])]

    viewer = viewer_of(session)  # a withheld visit or meeting is left out for whoever need not know of it
    items = session.execute(
        select(AgendaItem, Visit).join(Visit, Visit.id == AgendaItem.visit_id)
        .where(exists().where(AgendaParticipant.item_id == AgendaItem.id, AgendaParticipant.official_key.in_(names)),
               *span(AgendaItem.starts_at, AgendaItem.ends_at, low, high), visible_to(Visit, viewer))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).tuples().all()
    meetings = session.scalars(select(Meeting).where(func.lower(Meeting.official).in_(names),
                                                     *span(Meeting.starts_at, Meeting.ends_at, low, high),
                                                     visible_to(Meeting, viewer))
                               .order_by(Meeting.starts_at, Meeting.id)).all()
    functions = session.scalars(select(OfficialFunction).where(
        any_key(OfficialFunction.officials_index, set(names)),
        *span(OfficialFunction.starts_at, OfficialFunction.ends_at, low, high))
        .order_by(OfficialFunction.starts_at, OfficialFunction.id)).all()
    trips = session.scalars(select(TripAbsence).where(
        any_key(TripAbsence.officials_index, keys), TripAbsence.status.in_(SHOWN_TRIP_STATES),
        *span(TripAbsence.starts_on, TripAbsence.ends_on, on_or_after, before))
        .order_by(TripAbsence.starts_on, TripAbsence.trip_id)).all()
    return OfficialTime(list(items), list(meetings), list(functions), list(trips), viewer)
