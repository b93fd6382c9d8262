"""Request and response bodies of integrations (city systems' queues)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.http.views import id_path

SystemName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
# A city system hears the suite's events, which start with `chancery.`: never `withheld.…`, the routing keys of
# events about withheld records, which no pattern of these can match (decision 0190).
Pattern = Annotated[str, StringConstraints(pattern=r"^chancery(\.[a-z0-9*#-]+)+$", max_length=200)]


class IntegrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "city-docs", "patterns": ["chancery.visits.invitation.#", "chancery.trips.trip.approved.v1"]}]})

    name: SystemName = Field(description="The city system; its queue is `<name>.events`. `chancery` is the "
                                         "suite's own prefix and is refused.")
    patterns: list[Pattern] = Field(min_length=1, max_length=50,
                                    description="Routing-key patterns to bind, each starting with `chancery.`")

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


IntegrationPath = id_path("IntegrationPath", "integration_id")
