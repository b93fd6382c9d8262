"""Officials' engagements in visits, kept from visits' events (decision 0131), and the check that refuses a trip
over one of its travellers' engagements unless the approver overrides with a reason, which is audited."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.trips.domain.officials import ENGAGEMENTS, OfficialBusy, local_days
from services.trips.store.models import Trip, VisitEngagement
from shared.db import viewer_of
from shared.kit.names import id_key, index_of, keys_in, name_key, person_keys
from shared.kit.withholding import may_know
from shared.uow import UnitOfWork


def note_engagement(uow: UnitOfWork, record: str, seen: dict[str, Any], removed: bool) -> None:
    """Keep an engagement's newest version and its marking (`seen`: what visits' event says of it): a redelivered
    or late event (an older version) changes nothing; a removal applies to the version it removes, and so does
    a withheld engagement's release (decision 0190)."""
    engagement = uow.session.get(VisitEngagement, seen["id"])
    if engagement is not None and (engagement.version > seen["version"] or (
            engagement.version == seen["version"] and not removed and not engagement.released_by(seen))):
        return
    if engagement is None:
        engagement = VisitEngagement(id=seen["id"], record=record)
        uow.session.add(engagement)
    engagement.visit_id, engagement.title, engagement.version = seen["visit_id"], seen["title"], seen["version"]
    engagement.starts_at = datetime.fromisoformat(seen["starts_at"])
    engagement.ends_at = datetime.fromisoformat(seen["ends_at"])
    engagement.time_zone, engagement.officials = seen["time_zone"], seen["officials"]
    engagement.officials_index = index_of([*map(id_key, seen["official_ids"]), *map(name_key, seen["officials"])])
    engagement.active = not removed and seen["status"] != ENGAGEMENTS[record]
    engagement.hear_marking(seen)


def note_visit_cancelled(uow: UnitOfWork, visit_id: str) -> None:
    """A cancelled visit's programme takes nobody's time (a cancelled visit never reopens)."""
    uow.session.execute(update(VisitEngagement).where(VisitEngagement.visit_id == visit_id,
                                                      VisitEngagement.record == "agenda-item")
                        .values(active=False))


def engagements_during(session: Session, trip: Trip) -> list[dict[str, str | None]]:
    """Every active engagement of one of the trip's travellers on one of its days; a withheld one the session's
    viewer may not know of without its title and visit (decision 0190)."""
    travellers = {key: traveller.full_name for traveller in trip.travellers
                  for key in person_keys(traveller.official_id, traveller.full_name)}
    # A day at the venue lies within a day of UTC either side; the venue's own days decide.
    low = datetime.combine(trip.starts_on - timedelta(days=1), time(tzinfo=UTC))
    high = datetime.combine(trip.ends_on + timedelta(days=2), time(tzinfo=UTC))
    found = []
    for engagement in session.scalars(select(VisitEngagement).where(
            VisitEngagement.active, VisitEngagement.starts_at < high, VisitEngagement.ends_at > low)
            .order_by(VisitEngagement.starts_at, VisitEngagement.id)):
        first, last = local_days(engagement.starts_at, engagement.ends_at, engagement.time_zone)
        who = [travellers[key] for key in keys_in(engagement.officials_index) if key in travellers]
        if who and first <= trip.ends_on and trip.starts_on <= last:
            known = {"title": engagement.title, "visit_id": engagement.visit_id} \
                if may_know(engagement, viewer_of(session)) else {}
            found.append({"id": engagement.id, "record": engagement.record, "official": who[0],
                          "starts_on": first.isoformat(), "starts_at": engagement.starts_at.isoformat(), **known})
    return found


def refuse_engagements(uow: UnitOfWork, trip: Trip, override_reason: str | None) -> None:
    """OfficialBusy naming the travellers' engagements in visits on the trip's days, unless overridden: the
    override is audited with the engagements it passed over."""
    found = engagements_during(uow.session, trip)
    if not found:
        return
    if override_reason is None:
        raise OfficialBusy(found)
    uow.audit("official-busy.overridden", "trip", trip.id, {"reason": override_reason, "engagements": found})
