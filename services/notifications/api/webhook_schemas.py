"""Request and response bodies of webhooks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.notifications.api.common import Pattern
from shared.http.views import id_path


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


WebhookPath = id_path("WebhookPath", "webhook_id")


class WebhookRotated(WebhookCreated):
    previous_secret_expires_at: datetime = Field(
        description="Until then every delivery carries a signature with the previous secret too")
