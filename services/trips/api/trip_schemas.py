"""Request and response bodies of trip requests, their travellers and their coordination."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.trips.api.common import CountryCode, CurrencyCode, EndsAfterStart, LongText, Name, Reference, Text
from services.trips.domain.budget import DEFAULT_BUDGET_CURRENCY
from services.trips.domain.trip import ApprovalStep, Funding, TravellerCategory, TripStatus
from shared.http.records import OVERRIDE_REASON, Given, TransitionRequest, VersionedOut
from shared.http.resources import PageQuery
from shared.http.withholding import MarkingChange, MarkingIn, MarkingOut
from shared.kit.withholding import BUSY

OfficialId = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x20/\x7f]+$")]


class ApprovingRequest(TransitionRequest):
    """The body of an action that may approve the trip: a reason, and the override of an official's engagement."""

    override_reason: Given | None = Field(None, description=OVERRIDE_REASON)


class DestinationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: CountryCode = Field(description="ISO 3166-1 alpha-2 code")
    city: Name


class TravellerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "full_name": "Elena Petrova", "job_title": "Deputy Mayor for International Relations",
        "category": "deputy_mayor", "department": "Office of the Mayor"}]})

    full_name: Name
    job_title: Name
    category: TravellerCategory = Field(description="Decides the approval chain: staff need their department "
                                                    "head, the mayor and deputies the mayor's office")
    department: Name
    official_id: OfficialId | None = Field(None, description="An official traveller's id in the register of "
                                                             "officials (visits' `GET /api/v1/officials`)")


class TravellerUpdate(BaseModel):
    """The fields sent change, the others stay; none may be set to null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "job_title": "First Deputy Mayor", "department": "Office of the Mayor"}]})

    full_name: Name = None
    job_title: Name = None
    category: TravellerCategory = None
    department: Name = None


TRIP_EXAMPLE = {
    "title": "Mayor's visit to Sofia for the twinning anniversary",
    "purpose": "Sign the 2027-2029 cooperation programme and open the Days of the City",
    "department": "International Relations Department",
    "destinations": [{"country": "BG", "city": "Sofia"}],
    "starts_on": "2027-05-20", "ends_on": "2027-05-23",
    "host": "Sofia Municipality",
    "invitation_id": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
    "international_function": "Days of Sofia",
    "funding": "shared",
    "partner_id": "b2f0c6a4-1d3e-4f5a-9b8c-7d6e5f4a3b2c",
    "budget_currency": "EUR",
    "travellers": [
        {"full_name": "Ivan Sergeev", "job_title": "Mayor", "category": "mayor",
         "department": "Office of the Mayor"},
        {"full_name": "Anna Volkova", "job_title": "Chief specialist", "category": "staff",
         "department": "International Relations Department"}],
}


class TripFields(BaseModel):
    title: Text
    purpose: LongText
    department: Name = Field(description="The department that asks for the trip")
    destinations: list[DestinationIn] = Field(min_length=1, max_length=20)
    starts_on: date
    ends_on: date
    host: Text | None = Field(None, description="Who invites and receives the travellers abroad")
    invitation_id: Reference | None = Field(None, description="The invitation in visits this trip answers")
    international_function: Text | None = Field(None, description="The international function attended")
    funding: Funding = Field(description="Who pays: the city, the host, or shared")
    partner_id: Reference | None = Field(None, description="The foreign partner, as outreach knows it")
    budget_currency: CurrencyCode = Field(
        DEFAULT_BUDGET_CURRENCY, description="ISO 4217 currency the trip's costs are converted to; fixed at "
                                             "creation, since recorded costs were converted to it")


class TripCreate(TripFields, MarkingIn, EndsAfterStart):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TRIP_EXAMPLE]})

    travellers: list[TravellerIn] = Field(min_length=1, max_length=100,
                                          description="One part per traveller: one person or a delegation")


class TripUpdate(MarkingChange):
    """The fields sent change, the others stay. Required details may be left out but not set to null;
    the optional links (host, invitation, function, partner) may be cleared with null. The marking alone may
    change in any status (decision 0190); the rest of a request only while it is a draft or returned."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"ends_on": "2027-05-24", "purpose": "Sign the programme and visit the Sofia Tech Park"}]})

    title: Text = None
    purpose: LongText = None
    department: Name = None
    destinations: list[DestinationIn] = Field(None, min_length=1, max_length=20)
    starts_on: date = None
    ends_on: date = None
    host: Text | None = None
    invitation_id: Reference | None = None
    international_function: Text | None = None
    funding: Funding = None
    partner_id: Reference | None = None


class DestinationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    country: str
    city: str


class TravellerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    full_name: str
    job_title: str
    category: TravellerCategory
    department: str
    official_id: str | None


class DecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step: ApprovalStep
    department: str | None = Field(description="A staff step's department, whose head decided it")
    outcome: str = Field(description="`approved` or `sent-back`")
    comments: str | None
    decided_by: str
    decided_at: datetime


class ApprovalStepOut(BaseModel):
    step: ApprovalStep
    department: str | None = Field(description="A staff step: the travellers' department whose head decides it")


class TripOut(VersionedOut, MarkingOut):
    id: str
    title: str
    purpose: str
    department: str
    destinations: list[DestinationOut]
    countries: list[str] = Field(description="The destinations' countries, each once, in order")
    starts_on: date
    ends_on: date
    host: str | None
    invitation_id: str | None
    international_function: str | None
    funding: Funding
    partner_id: str | None
    budget_currency: str
    travellers: list[TravellerOut]
    status: TripStatus
    status_reason: str | None
    approval_chain: list[ApprovalStep] = Field(description="The steps this request needs, from its travellers "
                                                           "(a staff step once per department)")
    approval_steps: list[ApprovalStepOut] = Field(description="The same steps with the department whose head "
                                                              "decides each staff step")
    awaiting: ApprovalStep | None = Field(description="The step that decides next, while submitted")
    awaiting_department: str | None = Field(description="While a staff step is awaited: the department whose "
                                                        "head (a token with that `department` claim) decides it")
    travel_order_number: str | None = Field(description="The travel order's registry number (`TO-<year>-<5 digits>`, "
                                                         "gapless per year), given when first submitted")
    decisions: list[DecisionOut]
    decision_due_on: date = Field(description="When the approval decision is due")
    decision_overdue: bool
    allowed_actions: list[str]


class TripPath(BaseModel):
    trip_id: str = Field(description="The trip request's id", max_length=36)


class TravellerPath(TripPath):
    traveller_id: str = Field(description="The traveller's id", max_length=36)


class TripQuery(PageQuery):
    status: TripStatus | None = None
    country: CountryCode | None = Field(None, description="Trips with a destination in this country")
    department: Name | None = None
    created_by: Name | None = Field(None, description="Requests drafted by this person (a token's subject)")
    partner_id: Reference | None = None
    invitation_id: Reference | None = None
    awaiting: ApprovalStep | None = Field(None, description="Submitted requests waiting for this step")
    awaiting_department: Name | None = Field(None, description="Submitted requests waiting for this "
                                                               "department's head")
    starts_from: date | None = Field(None, description="Trips starting on or after this date")
    starts_until: date | None = Field(None, description="Trips starting on or before this date")
    ends_from: date | None = Field(None, description="Trips ending on or after this date (with `starts_until`: "
                                                     "the trips that overlap a period)")
    traveller: Name | None = Field(None, description="Trips on which this person travels (a traveller's full name, "
                                                     "as the official's trips feed matches it)")


class ChildPath(TripPath):
    item_id: str = Field(description="The item's id", max_length=36)


class CoordinationMatch(BaseModel):
    trip_id: str
    title: str
    department: str
    status: TripStatus
    country: str
    city: str
    starts_on: date
    ends_on: date
    overlap_starts_on: date
    overlap_ends_on: date


class CoordinationOut(BaseModel):
    trip_id: str
    matches: list[CoordinationMatch] = Field(description="Other departments' trips to one of this trip's cities at "
                                                         "overlapping dates: candidates to travel as one delegation")


class Engagement(BaseModel):
    id: str = Field(description="The agenda item's, meeting's or function's id in visits")
    record: str = Field(description="`agenda-item`, `meeting` or `function`")
    title: str = Field(BUSY, description="Its title; “Busy (confidential)” for a withheld engagement the reader may "
                                         "not know of (decision 0190)")
    visit_id: str | None = Field(None, description="Its visit; null too for a withheld engagement the reader may "
                                                   "not know of")
    official: str = Field(description="The traveller it engages")
    starts_on: date = Field(description="Its first day at its venue")
    starts_at: datetime


class EngagementsOut(BaseModel):
    trip_id: str
    engagements: list[Engagement]
