"""The suite's settings (`CHANCERY_*` and `<SERVICE>_*` variables only); every variable is documented in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from cryptography.fernet import Fernet
from pydantic import Field, PositiveFloat, PositiveInt, ValidationInfo, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from shared.environment import ConfigurationError, EnvironmentSettings
from shared.suite import PORTS, SERVICE_PORTS  # noqa: F401 - SERVICE_PORTS: deploy/*/generate.py read it here

DEVELOPMENT_JWT_SECRET = "chancery-development-secret-do-not-use-in-production"
# Fernet key for personal data in development only; production refuses it (as it refuses the JWT secret).
DEVELOPMENT_PII_KEY = "AWR4WZdHNyktN7j6_XgBld9HHRt1Zs6cwpa30UvNlVk="
DEVELOPMENT_CALENDAR_SECRET = "chancery-development-calendar-secret-do-not-use-in-production"
DEFAULT_RATE_LIMIT = "20/second;600/minute"  # per authenticated subject; see decision 0008
# The relay's batch unless CHANCERY_RELAY_BATCH_SIZE says otherwise (decision 0230): fewer round trips and confirm
# waits an event on PostgreSQL; on SQLite a batch holds the only writer lock until its confirms are in.
SQLITE_RELAY_BATCH, SERVER_RELAY_BATCH = 200, 1000
Port = Annotated[int, Field(ge=1, le=65535)]


def _comma_separated(value: Any) -> Any:
    return tuple(part.strip() for part in value.split(",") if part.strip()) if isinstance(value, str) else value


class ServiceAddress(EnvironmentSettings):
    """`<SERVICE>_DATABASE_URL` and `<SERVICE>_PORT`, read with the service's name as prefix."""

    database_url: str = ""
    port: Port | None = None


TracesExporter = Literal["none", "console", "otlp"]
TracesSampler = Literal["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
                        "parentbased_traceidratio"]


class TracingSettings(EnvironmentSettings):
    """Where spans go and which are kept: `CHANCERY_TRACES_*`, or the standard `OTEL_*` variables (the SDK reads
    `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_*` itself). Read here so that a value
    the SDK would ignore with a warning stops the process at start instead."""

    model_config = SettingsConfigDict(env_prefix="CHANCERY_")

    traces_exporter: TracesExporter | None = None
    traces_file: str = ""
    otel_traces_exporter: TracesExporter = Field("none", validation_alias="OTEL_TRACES_EXPORTER")
    otel_traces_sampler: TracesSampler = Field("parentbased_always_on", validation_alias="OTEL_TRACES_SAMPLER")
    otel_traces_sampler_arg: float = Field(1.0, ge=0, le=1, validation_alias="OTEL_TRACES_SAMPLER_ARG")

    @property
    def exporter(self) -> TracesExporter:
        """`CHANCERY_TRACES_EXPORTER` if set, else `OTEL_TRACES_EXPORTER`."""
        return self.traces_exporter or self.otel_traces_exporter


class Settings(TracingSettings):
    """The settings every process of a service runs with (`load_settings`)."""

    model_config = SettingsConfigDict(env_prefix="CHANCERY_")
    EMPTY_IS_A_VALUE = frozenset({"rate_limit"})  # CHANCERY_RATE_LIMIT set but empty: no limit

    service: str
    # development: local secrets by default; test: secrets of its own, HS256 tokens allowed; production: RS256.
    environment: Literal["development", "test", "production"] = Field("development", validation_alias="CHANCERY_ENV")
    var_dir: Path = Path("var")
    database_url: str = Field("", validate_default=True)
    amqp_url: str = "amqp://guest:guest@localhost:5672//"
    namespace: str = ""
    bind_host: str = "127.0.0.1"
    port: Port
    jwt_secret: str = Field("", validate_default=True)
    jwt_issuer: str = "chancery-development"
    jwt_audience: str = "chancery"
    jwks_url: str = ""
    max_body_bytes: PositiveInt = 1024 * 1024
    confirm_timeout_seconds: PositiveFloat = 5.0
    # How long the consumer waits for the confirm of a retry or dead letter it republishes, a resource alarm's block
    # included, before it drops its connection and lets the broker redeliver what it had not acknowledged.
    republish_timeout_seconds: PositiveFloat = 60.0
    broker_heartbeat_seconds: PositiveInt = 30
    relay_batch_size: PositiveInt | None = None  # unset: `relay_batch`, SQLITE_RELAY_BATCH or SERVER_RELAY_BATCH
    relay_poll_seconds: PositiveFloat = 0.02
    consumer_prefetch: PositiveInt = 50
    consumer_batch_size: PositiveInt = 50
    consumer_max_attempts: PositiveInt = 5
    retry_delays_seconds: Annotated[tuple[PositiveFloat, ...], NoDecode, Field(min_length=1)] = (1.0, 5.0, 30.0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    worker_metrics_port: Port | None = None
    worker_stall_seconds: PositiveFloat = 120.0
    pii_keys: Annotated[tuple[str, ...], NoDecode] = Field((), validate_default=True)
    pii_retention_days: PositiveInt = 90
    calendar_secret: str = Field("", validate_default=True)
    calendar_token_days: PositiveInt = 365
    font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    rate_limit: str = DEFAULT_RATE_LIMIT
    rate_limit_storage: str = "memory://"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def relay_batch(self) -> int:
        if self.relay_batch_size:
            return self.relay_batch_size
        return SQLITE_RELAY_BATCH if self.database_url.startswith("sqlite") else SERVER_RELAY_BATCH

    def name(self, base: str) -> str:
        """An exchange or queue name with the configured namespace prefix."""
        return f"{self.namespace}.{base}" if self.namespace else base

    @field_validator("database_url")
    @classmethod
    def _sqlite_under_var_dir_by_default(cls, value: str, info: ValidationInfo) -> str:
        return value or f"sqlite:///{info.data.get('var_dir', Path('var')) / info.data['service']}.db"

    @field_validator("jwt_secret", "calendar_secret")
    @classmethod
    def _development_secret_by_default(cls, value: str, info: ValidationInfo) -> str:
        development = {"jwt_secret": DEVELOPMENT_JWT_SECRET, "calendar_secret": DEVELOPMENT_CALENDAR_SECRET}
        return value or (development[str(info.field_name)] if _in_development(info) else "")

    @field_validator("consumer_batch_size")
    @classmethod
    def _capped_at_the_prefetch(cls, value: int, info: ValidationInfo) -> int:
        return min(value, info.data.get("consumer_prefetch", value))

    @field_validator("retry_delays_seconds", mode="before")
    @classmethod
    def _delays(cls, value: Any) -> Any:
        return _comma_separated(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("pii_keys", mode="before")
    @classmethod
    def _fernet_keys(cls, value: Any, info: ValidationInfo) -> Any:
        keys = _comma_separated(value) or ((DEVELOPMENT_PII_KEY,) if _in_development(info) else ())
        for key in keys:
            try:
                Fernet(key.encode())
            except ValueError:
                raise ValueError("each key must be a Fernet key (32 url-safe base64-encoded bytes)") from None
        return keys


def _in_development(info: ValidationInfo) -> bool:
    return info.data.get("environment", "development") == "development"


def load_settings(service: str, overrides: dict[str, str] | None = None) -> Settings:
    """Read the settings of one service from the environment (and optional overrides, for tests)."""
    address = ServiceAddress.load(overrides, prefix=f"{service.upper()}_")
    settings = Settings.load(overrides, service=service, database_url=address.database_url,
                             port=address.port or PORTS.get(service, 8100))
    _refuse_what_cannot_work(settings)
    return settings


def _refuse_what_cannot_work(settings: Settings) -> None:
    """Outside development nothing falls back to a development secret: without its own, a service would start
    and then refuse every token, personal-data value or calendar link."""
    if settings.environment == "development":
        return
    named = f"CHANCERY_ENV={settings.environment}"
    if not settings.jwt_secret and not settings.jwks_url:
        raise ConfigurationError(f"{named} needs CHANCERY_JWT_SECRET or CHANCERY_JWKS_URL (every token is refused)")
    if not settings.pii_keys:
        raise ConfigurationError(f"{named} needs CHANCERY_PII_KEYS of its own (Fernet keys)")
    if not settings.calendar_secret:
        raise ConfigurationError(f"{named} needs a CHANCERY_CALENDAR_SECRET of its own")
    if settings.is_production:
        _refuse_unsafe_production(settings)


def _refuse_unsafe_production(settings: Settings) -> None:
    if settings.jwt_secret == DEVELOPMENT_JWT_SECRET:
        raise ConfigurationError("CHANCERY_ENV=production refuses the development JWT secret")
    if not settings.jwks_url:
        raise ConfigurationError("CHANCERY_ENV=production needs CHANCERY_JWKS_URL (RS256 tokens)")
    if DEVELOPMENT_PII_KEY in settings.pii_keys:
        raise ConfigurationError("CHANCERY_ENV=production needs CHANCERY_PII_KEYS of its own (Fernet keys)")
    if settings.calendar_secret == DEVELOPMENT_CALENDAR_SECRET:
        raise ConfigurationError("CHANCERY_ENV=production needs a CHANCERY_CALENDAR_SECRET of its own")
