"""Request and response bodies of the programme abroad: legs, stays and meetings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, NaiveDatetime, StringConstraints

from services.trips.api.common import CountryCode, LongText, Name, Text
from services.trips.domain.programme import TravelMode
from shared.http.fields import TimeZoneName
from shared.http.records import NO_NUL

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
