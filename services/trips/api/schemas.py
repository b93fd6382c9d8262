"""Request and response bodies of the trips API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, NaiveDatetime, StringConstraints, model_validator

from services.trips.domain.budget import DEFAULT_BUDGET_CURRENCY, CostCategory, CostKind
from services.trips.domain.documents import DocumentKind, DocumentStatus
from services.trips.domain.programme import TravelMode
from services.trips.domain.proposal import ProposalStatus
from services.trips.domain.report import ReportStatus
from services.trips.domain.trip import ApprovalStep, Funding, TravellerCategory, TripStatus
from shared.http.resources import PageQuery, QueryModel

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL in text; refuse it alike on every database
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NO_NUL)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=NO_NUL)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36,
                                             pattern=r"^[A-Za-z0-9-]+$")]


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
    budget_currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        DEFAULT_BUDGET_CURRENCY, description="ISO 4217 currency the trip's costs are converted to; fixed at "
                                             "creation, since recorded costs were converted to it")


class TripCreate(TripFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TRIP_EXAMPLE]})

    travellers: list[TravellerIn] = Field(min_length=1, max_length=100,
                                          description="One part per traveller: one person or a delegation")

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class TripUpdate(BaseModel):
    """The fields sent change, the others stay. Required details may be left out but not set to null;
    the optional links (host, invitation, function, partner) may be cleared with null."""

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


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"reason": "Attach the host's programme and cut the stay to three nights"}]})

    @model_validator(mode="before")
    @classmethod
    def no_body_means_no_reason(cls, data):
        return {} if data is None else data

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=NO_NUL)] | None = Field(
        None, description="Why: the comments when sending back; required to send back, cancel and reopen")


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


class TripOut(BaseModel):
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
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class TripPath(BaseModel):
    trip_id: str = Field(description="The trip request's id", max_length=36)


class TravellerPath(TripPath):
    traveller_id: str = Field(description="The traveller's id", max_length=36)


class TripQuery(PageQuery):
    status: TripStatus | None = None
    country: CountryCode | None = Field(None, description="Trips with a destination in this country")
    department: Name | None = None
    partner_id: Reference | None = None
    invitation_id: Reference | None = None
    awaiting: ApprovalStep | None = Field(None, description="Submitted requests waiting for this step")
    awaiting_department: Name | None = Field(None, description="Submitted requests waiting for this "
                                                               "department's head")
    starts_from: date | None = Field(None, description="Trips starting on or after this date")
    starts_until: date | None = Field(None, description="Trips starting on or before this date")


# --- the programme abroad ---

TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                                pattern=r"^[A-Za-z0-9_+\-/]+$")]
LOCAL_TIME = "Wall-clock time at that place, without an offset; the time zone is given beside it"


class LegIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "origin": "Moscow (SVO)", "destination": "Sofia (SOF)", "mode": "air", "carrier_reference": "SU 2070",
        "departs_at": "2027-05-20T07:40", "departs_time_zone": "Europe/Moscow",
        "arrives_at": "2027-05-20T09:15", "arrives_time_zone": "Europe/Sofia", "arrives_country": "BG"}]})

    origin: Name
    destination: Name
    mode: TravelMode
    carrier_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100,
                                                        pattern=NO_NUL)] | None = None
    departs_at: NaiveDatetime = Field(description=LOCAL_TIME)
    departs_time_zone: TimeZoneName = Field(description="IANA time zone of the departure, e.g. Europe/Moscow")
    arrives_at: NaiveDatetime = Field(description=LOCAL_TIME)
    arrives_time_zone: TimeZoneName = Field(description="IANA time zone of the arrival, e.g. Europe/Sofia")
    arrives_country: CountryCode | None = Field(None, description="The country the leg arrives in (ISO 3166-1 "
                                                "alpha-2): arrivals in the trip's destination countries decide "
                                                "the per diem by country")


class LegOut(BaseModel):
    id: str
    trip_id: str
    origin: str
    destination: str
    mode: TravelMode
    carrier_reference: str | None
    departs_at: datetime = Field(description="Local departure time with its UTC offset")
    departs_time_zone: str
    arrives_at: datetime = Field(description="Local arrival time with its UTC offset")
    arrives_time_zone: str
    arrives_country: str | None
    duration_minutes: int
    version: int


class LegUpdate(BaseModel):
    """The fields sent change; each end keeps its own time zone (send the zone too when it changes)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"carrier_reference": "SU 2072", "departs_at": "2027-05-20T10:05", "arrives_at": "2027-05-20T11:40"}]})

    origin: Name = None
    destination: Name = None
    mode: TravelMode = None
    carrier_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100,
                                                        pattern=NO_NUL)] | None = None
    departs_at: NaiveDatetime = Field(None, description=LOCAL_TIME)
    departs_time_zone: TimeZoneName = None
    arrives_at: NaiveDatetime = Field(None, description=LOCAL_TIME)
    arrives_time_zone: TimeZoneName = None
    arrives_country: CountryCode = None


class StayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Grand Hotel Sofia", "address": "1 Gurko St", "country": "BG", "city": "Sofia",
        "check_in": "2027-05-20", "check_out": "2027-05-23", "booking_reference": "GHS-88412"}]})

    name: Text
    address: Text
    country: CountryCode
    city: Name
    check_in: date
    check_out: date
    booking_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100,
                                                        pattern=NO_NUL)] | None = None


class StayOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    trip_id: str
    name: str
    address: str
    country: str
    city: str
    check_in: date
    check_out: date
    nights: int
    booking_reference: str | None
    version: int


MEETING_EXAMPLE = {
    "title": "Talks with the Mayor of Sofia", "counterparts": "Mayor of Sofia; Deputy Mayor for Culture",
    "organisation": "Sofia Municipality", "location": "Sofia City Hall, 33 Moskovska St",
    "starts_at": "2027-05-21T10:00", "ends_at": "2027-05-21T11:30", "time_zone": "Europe/Sofia",
    "briefing": "Points: the 2027-2029 programme, the exchange of school orchestras, the tram depot visit."}


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [MEETING_EXAMPLE]})

    title: Text
    counterparts: LongText = Field(description="Who the travellers meet abroad")
    organisation: Text | None = None
    location: Text
    starts_at: NaiveDatetime = Field(description=LOCAL_TIME)
    ends_at: NaiveDatetime = Field(description=LOCAL_TIME)
    time_zone: TimeZoneName = Field(description="IANA time zone of the meeting's place")
    briefing: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50_000,
                                               pattern=NO_NUL)] | None = Field(
        None, description="Briefing material for the travellers: points to raise, background, positions")


class StayUpdate(BaseModel):
    """The fields sent change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"check_out": "2027-05-22", "booking_reference": "GHS-88413"}]})

    name: Text = None
    address: Text = None
    country: CountryCode = None
    city: Name = None
    check_in: date = None
    check_out: date = None
    booking_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100,
                                                        pattern=NO_NUL)] | None = None


class MeetingUpdate(BaseModel):
    """The fields sent change; times change together with their zone's meaning (send both ends if needed)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"briefing": "Add: the partner asks about the 2028 youth forum."}]})

    title: Text = None
    counterparts: LongText = None
    organisation: Text | None = None
    location: Text = None
    starts_at: NaiveDatetime = None
    ends_at: NaiveDatetime = None
    time_zone: TimeZoneName = None
    briefing: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50_000,
                                               pattern=NO_NUL)] | None = None


class MeetingOut(BaseModel):
    id: str
    trip_id: str
    title: str
    counterparts: str
    organisation: str | None
    location: str
    starts_at: datetime = Field(description="Local start with its UTC offset")
    ends_at: datetime = Field(description="Local end with its UTC offset")
    time_zone: str
    briefing: str | None
    version: int


class ChildPath(TripPath):
    item_id: str = Field(description="The item's id", max_length=36)


# --- budget ---

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2,
                                 description="Exact amount; send it as a string such as \"185.50\"")]
Rate = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)]


class DailyRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "country": "BG", "currency": "EUR", "per_diem": "60.00", "accommodation_per_night": "150.00",
        "valid_from": "2027-01-01"}]})

    country: CountryCode
    currency: CurrencyCode = Field(description="ISO 4217 currency of the limits")
    per_diem: Money = Field(description="Per diem for each calendar day away, per traveller")
    accommodation_per_night: Money = Field(description="Accommodation limit per night, per traveller")
    valid_from: date


class DailyRateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"per_diem": "65.00"}]})

    currency: CurrencyCode = None
    per_diem: Money = None
    accommodation_per_night: Money = None


class DailyRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    country: str
    currency: str
    per_diem: Decimal
    accommodation_per_night: Decimal
    valid_from: date
    version: int


class DailyRateQuery(PageQuery):
    country: CountryCode | None = None


class DailyRatePath(BaseModel):
    rate_id: str = Field(max_length=36)


class ExchangeRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "base": "EUR", "quote": "BGN", "rate": "1.95583", "valid_on": "2027-01-01"}]})

    base: CurrencyCode
    quote: CurrencyCode
    rate: Rate = Field(description="How many units of `quote` one unit of `base` is worth")
    valid_on: date = Field(description="The rate applies from this date until a later one")

    @model_validator(mode="after")
    def two_currencies(self):
        if self.base == self.quote:
            raise ValueError("quote must differ from base")
        return self


class ExchangeRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    base: str
    quote: str
    rate: Decimal
    valid_on: date
    version: int


class ExchangeRatePath(BaseModel):
    rate_id: str = Field(max_length=36)


class ExchangeRateUpdate(BaseModel):
    """A correction of the rate entered; costs already recorded keep the rate they were converted at."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"rate": "1.95583"}]})

    rate: Rate = None


class ExchangeRateQuery(PageQuery):
    base: CurrencyCode | None = None
    quote: CurrencyCode | None = None


class CostIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kind": "expected", "category": "accommodation", "amount": "870.00", "currency": "BGN",
        "description": "Grand Hotel Sofia, 3 nights, 2 rooms"}]})

    kind: CostKind
    category: CostCategory
    amount: Money
    currency: CurrencyCode
    description: Text | None = None
    incurred_on: date | None = Field(None, description="Date whose exchange rate applies; the trip's start if absent")


class CostOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    trip_id: str
    kind: CostKind
    category: CostCategory
    description: str | None
    amount: Decimal
    currency: str
    converted_amount: Decimal = Field(description="In the trip's budget currency")
    exchange_rate: Decimal
    converted_on: date
    version: int


class CostQuery(PageQuery):
    kind: CostKind | None = None
    category: CostCategory | None = None


class DailyRateUsed(BaseModel):
    id: str = Field(description="The row of the daily rates table")
    version: int = Field(description="Its version when the budget was read (a correction raises it; the audit "
                                     "records keep what each version said)")
    valid_from: date
    per_diem: Decimal
    accommodation_per_night: Decimal


class CountryLimitsOut(BaseModel):
    country: str
    currency: str = Field(description="The daily rate's currency")
    days: int = Field(description="Calendar days counted for this country")
    nights: int
    first_day: date = Field(description="The first day counted here: the rates used are those valid on it")
    per_diem: Decimal = Field(description="In the rate's currency, for every traveller")
    accommodation: Decimal
    per_diem_in_budget_currency: Decimal
    accommodation_in_budget_currency: Decimal
    exchange_rate: Decimal = Field(description="1 unit of the rate's currency in the budget currency")
    daily_rate: DailyRateUsed


class LimitsOut(BaseModel):
    travellers: int
    days: int
    nights: int
    days_counted_from: Literal["legs", "first_destination"] = Field(
        description="`legs`: each day counts for the destination country last arrived in by a leg "
                    "(`arrives_country`); `first_destination`: no leg arrives in a destination, so every day "
                    "counts for the first")
    per_diem_in_budget_currency: Decimal
    accommodation_in_budget_currency: Decimal
    by_country: list[CountryLimitsOut]


class CategoryTotal(BaseModel):
    category: CostCategory
    expected: Decimal
    actual: Decimal
    difference: Decimal = Field(description="actual minus expected")


class BudgetOut(BaseModel):
    trip_id: str
    budget_currency: str
    limits: LimitsOut | None = Field(description="Null when the rates table has no rate for the destination")
    limits_problem: str | None
    over_limit: list[CostCategory] = Field(description="Categories whose expected cost exceeds the limit")
    categories: list[CategoryTotal]
    expected_total: Decimal
    actual_total: Decimal
    difference: Decimal = Field(description="actual minus expected")


class YearPath(BaseModel):
    year: int = Field(ge=1900, le=9999)


class YearQuery(QueryModel):
    model_config = ConfigDict(extra="forbid")
    department: Name | None = None


class CurrencyTotal(BaseModel):
    budget_currency: str
    trips: int
    expected_total: Decimal
    actual_total: Decimal
    difference: Decimal


class YearBudgetOut(BaseModel):
    year: int
    totals: list[CurrencyTotal] = Field(description="One line per budget currency; cancelled trips are left out")


# --- proposals to take part in international functions ---

class ProposalIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "function_name": "Eurocities Annual Forum 2027", "organiser": "Eurocities", "country": "AT",
        "city": "Vienna", "starts_on": "2027-06-09", "ends_on": "2027-06-11",
        "rationale": "Panel on urban mobility; meeting with the Mayor of Vienna on the twinning programme",
        "department": "International Relations Department", "funding": "city",
        "travellers": [TRIP_EXAMPLE["travellers"][0]]}]})

    function_name: Text
    organiser: Text
    country: CountryCode
    city: Name
    starts_on: date
    ends_on: date
    rationale: LongText = Field(description="Why the city should take part")
    department: Name
    funding: Funding
    partner_id: Reference | None = None
    travellers: list[TravellerIn] = Field(min_length=1, max_length=100, description="Who would travel")

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    function_name: str
    organiser: str
    country: str
    city: str
    starts_on: date
    ends_on: date
    rationale: str
    department: str
    funding: Funding
    partner_id: str | None
    travellers: list[TravellerIn]
    status: ProposalStatus
    status_reason: str | None
    trip_id: str | None = Field(description="The draft trip request an approved proposal became")
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class ProposalPath(BaseModel):
    proposal_id: str = Field(max_length=36)


class ProposalQuery(PageQuery):
    status: ProposalStatus | None = None
    country: CountryCode | None = None
    starts_from: date | None = None
    starts_until: date | None = None


# --- the report after the trip ---

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


class ReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    trip_id: str
    outcomes: str
    agreements: str | None
    follow_ups: list[FollowUpOut]
    coverage: list[CoverageItem]
    status: ReportStatus
    submitted_at: datetime | None
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


# --- documents and passports ---

class DocumentPath(TravellerPath):
    kind: Annotated[str, StringConstraints(pattern=r"^(visa|insurance|travel_order)$")] = Field(
        description="visa, insurance or travel_order (the passport has its own resource)")


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"status": "obtained", "valid_until": "2027-06-30", "reference": "Policy 77-4410"}]})

    status: DocumentStatus
    valid_until: date | None = None
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=NO_NUL)] | None = None


class ChecklistItemOut(BaseModel):
    kind: DocumentKind
    status: DocumentStatus
    valid_until: date | None
    problem: str | None = Field(description="Why this keeps the trip from approval; null when in order")


class TravellerChecklist(BaseModel):
    traveller_id: str
    full_name: str
    items: list[ChecklistItemOut]


class ChecklistOut(BaseModel):
    trip_id: str
    ready_for_departure: bool
    travellers: list[TravellerChecklist]


PassportNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=20,
                                                  pattern=r"^[A-Z0-9]+$")]


class PassportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"number": "751234567", "expires_on": "2031-02-14", "date_of_birth": "1975-04-02"}]})

    number: PassportNumber
    expires_on: date
    date_of_birth: date | None = None


class PassportOut(BaseModel):
    traveller_id: str
    number: str | None = Field(description="Masked unless your role may read passport data")
    expires_on: date | None
    date_of_birth: str | None = Field(description="Masked unless your role may read passport data")
    masked: bool


class DocumentLanguage(QueryModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["en", "ru", "bg"] = Field("en", description="The language of the document")


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
