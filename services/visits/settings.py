"""The visits service's own settings, from environment variables (documented in the README)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PositiveInt, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from services.visits.domain.gifts import GiftRules
from shared.environment import EnvironmentSettings

THRESHOLD = re.compile(r"^(?P<currency>[A-Z]{3}):(?P<amount>[0-9]+(\.[0-9]{1,2})?)$")


class VisitsSettings(EnvironmentSettings):
    model_config = SettingsConfigDict(env_prefix="VISITS_")

    gift_thresholds: Annotated[dict[str, Decimal], NoDecode] = Field({"EUR": Decimal("150")})
    gift_declaration_days: PositiveInt = 30

    @field_validator("gift_thresholds", mode="before")
    @classmethod
    def _per_currency(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        matches = [THRESHOLD.match(entry.strip()) for entry in value.split(",")]
        if not all(matches):
            raise ValueError("a list of CURRENCY:AMOUNT is accepted, e.g. EUR:150,USD:160")
        return {match["currency"]: Decimal(match["amount"]) for match in matches if match}

    @property
    def gift_rules(self) -> GiftRules:
        return GiftRules(thresholds=self.gift_thresholds, declaration_days=self.gift_declaration_days)


def own_settings(config: dict[str, str] | None) -> VisitsSettings:
    """What the visits operations read as `uow.settings`: `VISITS_GIFT_THRESHOLDS` (e.g. `EUR:150,USD:160`) and
    `VISITS_GIFT_DECLARATION_DAYS`."""
    return VisitsSettings.load(config)


def gift_rules(config: dict[str, str] | None) -> GiftRules:
    return own_settings(config).gift_rules
