"""The visits service's own settings, from environment variables (documented in the README)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal

from services.visits.domain.gifts import GiftRules
from shared.config import ConfigurationError

THRESHOLD = re.compile(r"^(?P<currency>[A-Z]{3}):(?P<amount>[0-9]+(\.[0-9]{1,2})?)$")


def gift_rules(config: dict[str, str] | None) -> GiftRules:
    """`VISITS_GIFT_THRESHOLDS` (e.g. `EUR:150,USD:160`) and `VISITS_GIFT_DECLARATION_DAYS`."""
    source = {**os.environ, **(config or {})}
    thresholds = {}
    for entry in (source.get("VISITS_GIFT_THRESHOLDS") or "EUR:150").split(","):
        match = THRESHOLD.match(entry.strip())
        if not match:
            raise ConfigurationError("VISITS_GIFT_THRESHOLDS is a list of CURRENCY:AMOUNT, e.g. EUR:150,USD:160")
        thresholds[match["currency"]] = Decimal(match["amount"])
    days = int(source.get("VISITS_GIFT_DECLARATION_DAYS") or 30)
    if days < 1:
        raise ConfigurationError("VISITS_GIFT_DECLARATION_DAYS must be at least 1")
    return GiftRules(thresholds=thresholds, declaration_days=days)


@dataclass(frozen=True)
class VisitsSettings:
    """What the visits operations read as `uow.settings`."""

    gift_rules: GiftRules


def own_settings(config: dict[str, str] | None) -> VisitsSettings:
    return VisitsSettings(gift_rules=gift_rules(config))
