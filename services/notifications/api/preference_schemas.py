"""Request and response bodies of preferences."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.http.fields import TimeZoneName

EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
ChannelChoice = Literal["immediate", "digest", "off"]


class QuietHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: ClockTime = Field(description="Local time, HH:MM")
    end: ClockTime = Field(description="Local time, HH:MM; before `start` means the next morning")


class Channels(BaseModel):
    model_config = ConfigDict(extra="forbid")

    in_app: Literal["immediate", "off"] = Field("immediate", alias="in-app")
    email: ChannelChoice = "off"


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"language": "bg", "time_zone": "Europe/Sofia", "email": "olga@city.example",
         "channels": {"in-app": "immediate", "email": "digest"}, "quiet_hours": {"start": "22:00", "end": "07:00"},
         "digest_at": "08:30"}]})

    language: Literal["en", "ru", "bg"] = "en"
    time_zone: str = Field("UTC", max_length=64, description="An IANA time zone, e.g. `Europe/Sofia`")
    email: EmailAddress | None = None
    channels: Channels = Field(default_factory=Channels)
    quiet_hours: QuietHoursIn | None = None
    digest_at: ClockTime = Field("08:00", description="When the daily digest is sent, local time")


class PreferencesIn(Preferences):
    time_zone: TimeZoneName = "UTC"

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Sofia") from error
        return value


class PreferencesOut(Preferences):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"name": "olga", "roles": ["protocol"], "language": "bg", "time_zone": "Europe/Sofia",
         "email": "olga@city.example", "channels": {"in-app": "immediate", "email": "digest"},
         "quiet_hours": {"start": "22:00", "end": "07:00"}, "digest_at": "08:30", "version": 2}]})

    name: str
    roles: list[str]
    version: int
