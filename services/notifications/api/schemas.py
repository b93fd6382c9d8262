"""Request and response bodies of the notifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.http.auth import ROLES
from shared.http.resources import PageQuery

EventType = Annotated[str, StringConstraints(pattern=r"^chancery\.[a-z]+\.[a-z-]+\.[a-z-]+\.v[0-9]+$", max_length=200)]
EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]
Pattern = Annotated[str, StringConstraints(pattern=r"^[a-z0-9*#-]+(\.[a-z0-9*#-]+)*$", max_length=200)]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"pattern": "chancery.visits.visit.confirmed.v1", "language": "en"}]})

    pattern: Pattern = Field(description="Event type or AMQP topic pattern, e.g. `chancery.visits.#`")
    language: Literal["en", "ru", "bg"] | None = Field(
        None, description="The language of these notifications; by default the one in your preferences")


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    subscriber: str
    pattern: str
    channel: str
    language: str | None
    created_at: datetime


class SubscriptionPath(BaseModel):
    subscription_id: str = Field(max_length=36)


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    subject: str
    title: str
    body: str
    data: dict
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"unread": 3}]})

    unread: int


class NotificationPath(BaseModel):
    notification_id: str = Field(max_length=36)


class InboxQuery(PageQuery):
    unread: bool | None = Field(None, description="true: only unread; false: only read")
    event_type: str | None = None


class TemplatePreview(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"event_type": "chancery.visits.visit.confirmed.v1", "channel": "email", "language": "ru",
         "data": {"delegation_name": "Delegation of the City of Lyon", "city": "Lyon", "country": "FR",
                  "starts_on": "2027-03-10", "ends_on": "2027-03-12"}},
        {"event_type": "chancery.visits.visit.confirmed.v1", "language": "en",
         "data": {"delegation_name": "Delegation of the City of Lyon"},
         "template": "Confirmed: {{ data.delegation_name }}\n\nSee you soon."}]})

    event_type: EventType
    channel: Literal["in-app", "email"] = "in-app"
    language: Literal["en", "ru", "bg"] = "en"
    data: dict = Field(default_factory=dict, description="The event data to render with")
    subject: str = Field("", max_length=200, description="The record id the event is about")
    template: str | None = Field(None, max_length=20_000,
                                 description="A draft template to try instead of the stored one")


class TemplatePreviewOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"title": "Visit confirmed: Delegation of the City of Lyon",
         "body": "Delegation of the City of Lyon (Lyon, FR), 2027-03-10 to 2027-03-12.",
         "template": "chancery.visits.visit.confirmed.v1/in-app.en.j2"}]})

    title: str
    body: str
    template: str = Field(description="The template used, after the fallback rule (`(draft)` for a draft)")


RecordType = Literal["visit", "trip", "contract", "agreement"]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
ChannelChoice = Literal["immediate", "digest", "off"]


class WatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"record_type": "visit", "record_id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10"}]})

    record_type: RecordType
    record_id: str = Field(min_length=1, max_length=200, description="The id of the visit, trip or contract")


class WatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    subscriber: str
    record_type: str
    record_id: str
    created_at: datetime


class WatchPath(BaseModel):
    watch_id: str = Field(max_length=36)


class RoleSubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"role": "protocol", "pattern": "chancery.visits.visit.cancelled.v1"}]})

    role: Literal[tuple(ROLES)] = Field(description="Everyone holding this role hears the matching events")
    pattern: Pattern


class RoleSubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    role: str
    pattern: str
    created_by: str
    created_at: datetime


class RoleSubscriptionPath(BaseModel):
    role_subscription_id: str = Field(max_length=36)


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


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"url": "https://docs.city.example/hooks/chancery", "pattern": "chancery.visits.visit.*.v1"}]})

    url: str = Field(max_length=2000, description="http(s) URL at a public address (private ones need configuration)")
    pattern: Pattern


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [
        {"id": "0d7c2a4e-9b1f-4c3e-8a5d-6f2e1b0c9a87", "owner": "olga", "url": "https://docs.city.example/hooks/chancery",
         "pattern": "chancery.visits.visit.*.v1", "enabled": True, "consecutive_failures": 0, "disabled_reason": None,
         "version": 1, "created_at": "2027-01-15T09:00:00Z"}]})

    id: str
    owner: str
    url: str
    pattern: str
    enabled: bool
    consecutive_failures: int
    disabled_reason: str | None
    version: int
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="`whsec_…`: verify `webhook-signature` with it (shown only once)")


class WebhookPath(BaseModel):
    webhook_id: str = Field(max_length=36)


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    recipient: str
    channel: str
    status: str
    attempts: int
    due_at: datetime
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    channel: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error: str | None


class DeliveryDetail(DeliveryOut):
    attempts_log: list[AttemptOut]


class DeliveryQuery(PageQuery):
    event_id: str | None = None
    recipient: str | None = None
    channel: str | None = None
    status: str | None = None


class DeliveryPath(BaseModel):
    delivery_id: str = Field(max_length=36)


SystemName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,39}$")]


class IntegrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "city-docs", "patterns": ["chancery.visits.invitation.#", "chancery.trips.trip.approved.v1"]}]})

    name: SystemName = Field(description="The city system; its queue is `<name>.events`. `chancery` is the "
                                         "suite's own prefix and is refused.")
    patterns: list[Pattern] = Field(min_length=1, max_length=50, description="Routing-key patterns to bind")

    @field_validator("name")
    @classmethod
    def not_the_suites_own_prefix(cls, name: str) -> str:
        # The services' queues and exchanges are all `chancery.*`, and their broker users may configure them.
        if name == "chancery":
            raise ValueError("`chancery` is the suite's own prefix; name the city system")
        return name


class IntegrationPatterns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patterns: list[Pattern] = Field(min_length=1, max_length=50)


class IntegrationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [
        {"id": "5c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "name": "city-docs", "queue": "city-docs.events",
         "patterns": ["chancery.visits.invitation.#"], "declared": True, "version": 1,
         "created_at": "2027-01-15T09:00:00Z"}]})

    id: str
    name: str
    queue: str
    patterns: list[str]
    declared: bool = Field(description="Whether the broker already has the queue bound by exactly these patterns")
    version: int
    created_at: datetime


class IntegrationPath(BaseModel):
    integration_id: str = Field(max_length=36)
