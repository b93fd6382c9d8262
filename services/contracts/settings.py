"""The contracts service's own settings, from environment variables (documented in the README)."""

from __future__ import annotations

from pydantic import Field, NonNegativeInt
from pydantic_settings import SettingsConfigDict

from shared.environment import EnvironmentSettings


class ContractsSettings(EnvironmentSettings):
    model_config = SettingsConfigDict(env_prefix="CONTRACTS_")

    # An OCDS prefix as registered with OCDS: `ocds-` and six letters or digits.
    ocid_prefix: str = Field("ocds-chncry", pattern=r"^ocds-[a-z0-9]{6}$")
    home_country: str = Field("BG", pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    agreement_notice_days: NonNegativeInt = 90
    commitment_notice_days: NonNegativeInt = 30
    ocds_publisher: str = "Chancery"


def contracts_settings(config: dict[str, str] | None) -> ContractsSettings:
    return ContractsSettings.load(config)
