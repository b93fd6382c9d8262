"""A partner's timeline: everything the other services' events say happened with it, newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal

from flask_openapi3 import Tag
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from services.outreach.api.common import READERS
from services.outreach.api.partner_schemas import PartnerPath
from services.outreach.store.models import Partner, TimelineEntry
from shared.db import find
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.resources import Page, PageQuery, apply_sort, json_response, paginate, sorted_by
from shared.http.work import read_only

timeline_api = LazyDocBlueprint("timeline", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}],
                                abp_responses=problem_responses(401, 403, 404, 422),
                                abp_tags=[Tag(name="timeline", description="What happened with each partner, "
                                                                           "built from the visits, trips and contracts "
                                                                           "events")])


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "event_id": "5b8f1c9e-2a8d-4f7e-9d0b-6f1e2c3a4b5d", "event_type": "chancery.visits.visit.confirmed.v1",
        "source": "visits", "subject": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10", "record": "visit",
        "action": "confirmed", "title": "Delegation of the City of Sofia", "country": "BG",
        "occurred_at": "2027-03-01T09:30:00Z", "details": {"status": "confirmed", "starts_on": "2027-03-10"}}]})

    event_id: str
    event_type: str
    source: str
    subject: str
    record: str
    action: str
    title: str
    country: str | None
    occurred_at: datetime
    details: dict


class TimelineFilters(PageQuery):
    source: Literal["visits", "trips", "contracts"] | None = Field(None, description="Only one service's events")
    since: date | None = Field(None, description="Entries on or after this day (UTC)")
    until: date | None = Field(None, description="Entries on or before this day (UTC)")


TIMELINE_ORDER = {"occurred_at": TimelineEntry.occurred_at, "source": TimelineEntry.source}
TimelineQuery = sorted_by(TimelineFilters, TIMELINE_ORDER)


def serialize(entry: TimelineEntry) -> dict:
    return TimelineEntryOut.model_validate(entry).model_dump(mode="json")


@timeline_api.get("/partners/<partner_id>/timeline", summary="A partner's timeline, newest first",
                  responses={200: Page[TimelineEntryOut]})
@allow(*READERS)
def partner_timeline(path: PartnerPath, query: TimelineQuery):
    statement = select(TimelineEntry).where(TimelineEntry.partner_id == path.partner_id)
    if query.source:
        statement = statement.where(TimelineEntry.source == query.source)
    if query.since:
        statement = statement.where(TimelineEntry.occurred_at >= datetime.combine(query.since, time.min, UTC))
    if query.until:
        statement = statement.where(TimelineEntry.occurred_at <= datetime.combine(query.until, time.max, UTC))
    statement = apply_sort(statement, query.sort, TIMELINE_ORDER,
                           [TimelineEntry.occurred_at.desc(), TimelineEntry.event_id])
    with read_only() as session:
        find(session, Partner, path.partner_id, "partner")
        return json_response(paginate(session, statement, query, serialize))
