"""Request and response bodies of proposals to take part in international functions."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from services.trips.api.common import CountryCode, EndsAfterStart, LongText, Name, Reference, Text
from services.trips.api.trip_schemas import TRIP_EXAMPLE, TravellerIn
from services.trips.domain.proposal import ProposalStatus
from services.trips.domain.trip import Funding
from shared.http.records import VersionedOut
from shared.http.resources import PageQuery
from shared.http.views import id_path


class ProposalIn(EndsAfterStart):
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


class ProposalOut(VersionedOut):
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


ProposalPath = id_path("ProposalPath", "proposal_id")


class ProposalQuery(PageQuery):
    status: ProposalStatus | None = None
    country: CountryCode | None = None
    starts_from: date | None = None
    starts_until: date | None = None
