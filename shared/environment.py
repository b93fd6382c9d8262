"""Typed settings read from environment variables, refused at start with the variable's name and what it accepts.

`shared.config.Settings` (the suite's `CHANCERY_*` variables) and every service's own settings
(`services/<name>/settings.py`) subclass `EnvironmentSettings`: a field `consumer_prefetch` of a class whose
`env_prefix` is `CHANCERY_` is the variable `CHANCERY_CONSUMER_PREFETCH` (a `validation_alias` names it
otherwise), and `load(overrides)` reads them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class ConfigurationError(RuntimeError):
    """The environment asks for something the suite refuses to run with."""


class EnvironmentSettings(BaseSettings):
    """Settings from the environment; `overrides` (variable → value, from tests and `make run`) take precedence,
    and an empty value means the default, unless the field (by its alias, if it has one) is in `EMPTY_IS_A_VALUE`."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")
    EMPTY_IS_A_VALUE: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def load(cls, overrides: Mapping[str, str] | None = None, *, prefix: str | None = None, **given: Any) -> Self:
        """The settings from the environment and `overrides`; `prefix` replaces the class's `env_prefix` (for
        variables named after a service), `given` are values the caller computed (not read from any variable)."""
        prefix = cls.model_config.get("env_prefix", "") if prefix is None else prefix
        from_overrides = {key: (overrides or {})[variable] for key, variable in cls._variables(prefix).items()
                          if variable in (overrides or {})}
        values: dict[str, Any] = {**from_overrides, **given}
        try:
            return cls(_env_prefix=prefix, **values)
        except ValidationError as error:
            raise ConfigurationError(_explain(error, cls._variables(prefix), {**os.environ, **(overrides or {})})) \
                from None

    @classmethod
    def _variables(cls, prefix: str) -> dict[str, str]:
        """The key each field is given by (its alias or its name) → the variable it is read from."""
        return {field.validation_alias if isinstance(field.validation_alias, str) else name:
                field.validation_alias if isinstance(field.validation_alias, str) else f"{prefix}{name}".upper()
                for name, field in cls.model_fields.items()}

    @classmethod
    def settings_customise_sources(
            cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings  # the environment only: no .env file, no secrets directory

    @model_validator(mode="before")
    @classmethod
    def _empty_means_default(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {key: value for key, value in values.items() if value != "" or key in cls.EMPTY_IS_A_VALUE}


def _explain(error: ValidationError, variables: dict[str, str], source: Mapping[str, str]) -> str:
    """One line per refused variable: its name, the value given and what it accepts."""
    lines = []
    for problem in error.errors(include_url=False):
        key = str(problem["loc"][0]) if problem["loc"] else ""
        variable = variables.get(key, key)
        given = source.get(variable, problem.get("input"))
        accepts = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{variable}={given!r} is refused: {accepts[:1].lower()}{accepts[1:]}")
    return "; ".join(lines)
