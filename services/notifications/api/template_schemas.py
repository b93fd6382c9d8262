"""Request and response bodies of the template preview."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

EventType = Annotated[str, StringConstraints(pattern=r"^chancery\.[a-z]+\.[a-z-]+\.[a-z-]+\.v[0-9]+$", max_length=200)]


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
