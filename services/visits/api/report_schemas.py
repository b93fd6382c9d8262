"""Request and response bodies of the report after a visit (docs/decisions/0155)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.visits.api.fields import LongText, Name, Text
from services.visits.domain.report import VisitReportStatus
from shared.http.records import VersionedOut


class ReportFollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=36, description="Send the id to keep a follow-up (and its plan item); "
                                                           "leave it out for a new one")
    title: Text
    owner: Name = Field(description="Who carries it out")
    department: Name | None = Field(None, description="The owner's department, as the identity provider's "
                                                      "`department` claim names it, where known; the plan item's "
                                                      "responsible body (the owner's name otherwise)")
    due_on: date


REPORT_EXAMPLE = {
    "outcome": "Agreed a joint tech forum and a school orchestra exchange.",
    "agreements": "Memorandum on the 2028 tech forum initialled by both mayors.",
    "follow_ups": [{"title": "Send the forum concept to Lyon", "owner": "Maria Ivanova",
                    "department": "Directorate of International Relations", "due_on": "2027-04-15"}]}


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [REPORT_EXAMPLE]})

    outcome: LongText = Field(description="What the visit achieved")
    agreements: LongText | None = Field(None, description="Agreements reached")
    follow_ups: list[ReportFollowUpIn] = Field(default_factory=list, max_length=100)


class ReportUpdate(BaseModel):
    """The fields sent replace the report's; `follow_ups` is the full list (ids keep existing ones)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"agreements": "Memorandum on the 2028 tech forum signed."}]})

    outcome: LongText = None
    agreements: LongText | None = None
    follow_ups: list[ReportFollowUpIn] = Field(None, max_length=100)


class ReportFollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    owner: str
    department: str | None
    due_on: date


class ReportOut(VersionedOut):
    model_config = ConfigDict(from_attributes=True)

    id: str
    visit_id: str
    outcome: str
    agreements: str | None
    follow_ups: list[ReportFollowUpOut]
    status: VisitReportStatus
    submitted_at: datetime | None
