"""The contracts service's own settings, from environment variables (documented in the README)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from shared.config import ConfigurationError

OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


@dataclass(frozen=True)
class ContractsSettings:
    ocid_prefix: str
    home_country: str
    agreement_notice_days: int
    commitment_notice_days: int
    ocds_publisher: str


def contracts_settings(config: dict[str, str] | None) -> ContractsSettings:
    source = {**os.environ, **(config or {})}
    settings = ContractsSettings(ocid_prefix=source.get("CONTRACTS_OCID_PREFIX") or "ocds-chncry",
                                 home_country=source.get("CONTRACTS_HOME_COUNTRY") or "BG",
                                 agreement_notice_days=int(source.get("CONTRACTS_AGREEMENT_NOTICE_DAYS") or 90),
                                 commitment_notice_days=int(source.get("CONTRACTS_COMMITMENT_NOTICE_DAYS") or 30),
                                 ocds_publisher=source.get("CONTRACTS_OCDS_PUBLISHER") or "Chancery")
    if not OCID_PREFIX.match(settings.ocid_prefix):
        raise ConfigurationError("CONTRACTS_OCID_PREFIX must be an OCDS prefix: ocds- and six letters or digits")
    if not re.match(r"^[A-Z]{2}$", settings.home_country):
        raise ConfigurationError("CONTRACTS_HOME_COUNTRY must be an ISO 3166-1 alpha-2 code")
    return settings
