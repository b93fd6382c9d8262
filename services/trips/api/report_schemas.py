"""Request and response bodies of the report after a trip."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.trips.api.common import LongText, Name, Reference, Text
from services.trips.domain.report import ReportStatus
from shared.http.records import VersionedOut


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Reference | None = Field(None, description="Send the id to keep a follow-up; leave it out for a new one")
    title: Text
    due_on: date
    responsible_body: Name


class CoverageItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outlet: Name
    headline: Text
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00]+$")] | None = None
    published_on: date


REPORT_EXAMPLE = {
    "outcomes": "Signed the 2027-2029 cooperation programme; opened the Days of the City in Sofia.",
    "agreements": "Exchange of school orchestras in 2028; joint tourism stand at ITB Berlin.",
    "follow_ups": [{"title": "Draft the orchestra exchange programme", "due_on": "2027-09-30",
                    "responsible_body": "Department of Culture"}],
    "coverage": [{"outlet": "Sofia News Agency", "headline": "Mayor opens Days of the City in Sofia",
                  "url": "https://example.org/news/1", "published_on": "2027-05-21"}]}


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [REPORT_EXAMPLE]})

    outcomes: LongText = Field(description="What the trip achieved")
    agreements: LongText | None = Field(None, description="Agreements reached")
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=100)
    coverage: list[CoverageItem] = Field(default_factory=list, max_length=200, description="Press coverage")


class ReportUpdate(BaseModel):
    """The fields sent replace the report's; `follow_ups` is the full list (ids keep existing ones)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"agreements": "Exchange of school orchestras in 2028."}]})

    outcomes: LongText = None
    agreements: LongText | None = None
    follow_ups: list[FollowUpIn] = Field(None, max_length=100)
    coverage: list[CoverageItem] = Field(None, max_length=200)


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    due_on: date
    responsible_body: str


class ReportOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    trip_id: str
    outcomes: str
    agreements: str | None
    follow_ups: list[FollowUpOut]
    coverage: list[CoverageItem]
    status: ReportStatus
    submitted_at: datetime | None
