"""Configuration from environment variables only; every variable is documented in the README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SERVICE_PORTS = {"visits": 8101, "trips": 8102, "contracts": 8103, "outreach": 8104, "notifications": 8105}
CONSOLE_PORT = 8100  # the staff console (services/console, decision 0090)
DEVELOPMENT_JWT_SECRET = "chancery-development-secret-do-not-use-in-production"
# Fernet key for personal data in development only; production refuses it (as it refuses the JWT secret).
DEVELOPMENT_PII_KEY = "AWR4WZdHNyktN7j6_XgBld9HHRt1Zs6cwpa30UvNlVk="
DEVELOPMENT_CALENDAR_SECRET = "chancery-development-calendar-secret-do-not-use-in-production"
DEFAULT_RATE_LIMIT = "20/second;600/minute"  # per authenticated subject; see decision 0008


class ConfigurationError(RuntimeError):
    """The environment asks for something the suite refuses to run with."""


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(part) for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    service: str
    environment: str
    database_url: str
    amqp_url: str
    namespace: str
    bind_host: str
    port: int
    jwt_secret: str
    jwt_issuer: str
    jwt_audience: str
    jwks_url: str
    max_body_bytes: int
    confirm_timeout_seconds: float
    relay_batch_size: int
    relay_poll_seconds: float
    consumer_prefetch: int
    consumer_batch_size: int
    consumer_max_attempts: int
    retry_delays_seconds: tuple[float, ...]
    traces_exporter: str
    traces_file: str
    log_level: str
    worker_metrics_port: int | None
    worker_stall_seconds: float = 120.0
    pii_keys: tuple[str, ...] = (DEVELOPMENT_PII_KEY,)
    pii_retention_days: int = 90
    calendar_secret: str = DEVELOPMENT_CALENDAR_SECRET
    calendar_token_days: int = 365
    font_dir: Path = field(default=Path("/usr/share/fonts/truetype/dejavu"))
    var_dir: Path = field(default=Path("var"))
    rate_limit: str = DEFAULT_RATE_LIMIT
    rate_limit_storage: str = "memory://"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def name(self, base: str) -> str:
        """An exchange or queue name with the configured namespace prefix."""
        return f"{self.namespace}.{base}" if self.namespace else base


def load_settings(service: str, overrides: dict[str, str] | None = None) -> Settings:
    """Read the settings of one service from the environment (and optional overrides, for tests)."""
    source = dict(os.environ)
    source.update(overrides or {})

    def env(name: str, default: str) -> str:
        value = source.get(name)
        return default if value is None or value == "" else value

    var_dir = Path(env("CHANCERY_VAR_DIR", "var"))
    environment = env("CHANCERY_ENV", "development")
    development = environment == "development"
    default_secret = DEVELOPMENT_JWT_SECRET if development else ""
    metrics_port = env("CHANCERY_WORKER_METRICS_PORT", "")
    prefetch = int(env("CHANCERY_CONSUMER_PREFETCH", "50"))
    settings = Settings(
        service=service,
        environment=environment,
        database_url=env(f"{service.upper()}_DATABASE_URL", f"sqlite:///{var_dir / service}.db"),
        amqp_url=env("CHANCERY_AMQP_URL", "amqp://guest:guest@localhost:5672//"),
        namespace=env("CHANCERY_NAMESPACE", ""),
        bind_host=env("CHANCERY_BIND_HOST", "127.0.0.1"),
        port=int(env(f"{service.upper()}_PORT", str(SERVICE_PORTS.get(service, 8100)))),
        jwt_secret=env("CHANCERY_JWT_SECRET", default_secret),
        jwt_issuer=env("CHANCERY_JWT_ISSUER", "chancery-development"),
        jwt_audience=env("CHANCERY_JWT_AUDIENCE", "chancery"),
        jwks_url=env("CHANCERY_JWKS_URL", ""),
        max_body_bytes=int(env("CHANCERY_MAX_BODY_BYTES", str(1024 * 1024))),
        confirm_timeout_seconds=float(env("CHANCERY_CONFIRM_TIMEOUT_SECONDS", "5")),
        relay_batch_size=int(env("CHANCERY_RELAY_BATCH_SIZE", "200")),
        relay_poll_seconds=float(env("CHANCERY_RELAY_POLL_SECONDS", "0.02")),
        consumer_prefetch=prefetch,
        consumer_batch_size=min(int(env("CHANCERY_CONSUMER_BATCH_SIZE", "50")), prefetch),
        consumer_max_attempts=int(env("CHANCERY_CONSUMER_MAX_ATTEMPTS", "5")),
        retry_delays_seconds=_floats(env("CHANCERY_RETRY_DELAYS_SECONDS", "1,5,30")),
        traces_exporter=env("CHANCERY_TRACES_EXPORTER", "none"),
        traces_file=env("CHANCERY_TRACES_FILE", ""),
        log_level=env("CHANCERY_LOG_LEVEL", "INFO"),
        worker_metrics_port=int(metrics_port) if metrics_port else None,
        worker_stall_seconds=float(env("CHANCERY_WORKER_STALL_SECONDS", "120")),
        pii_keys=tuple(key.strip() for key in env("CHANCERY_PII_KEYS", DEVELOPMENT_PII_KEY if development else "")
                       .split(",") if key.strip()),
        pii_retention_days=int(env("CHANCERY_PII_RETENTION_DAYS", "90")),
        calendar_secret=env("CHANCERY_CALENDAR_SECRET", DEVELOPMENT_CALENDAR_SECRET if development else ""),
        calendar_token_days=int(env("CHANCERY_CALENDAR_TOKEN_DAYS", "365")),
        font_dir=Path(env("CHANCERY_FONT_DIR", "/usr/share/fonts/truetype/dejavu")),
        rate_limit=source.get("CHANCERY_RATE_LIMIT", DEFAULT_RATE_LIMIT),  # set but empty: no limit
        rate_limit_storage=env("CHANCERY_RATE_LIMIT_STORAGE", "memory://"),
        var_dir=var_dir,
    )
    _refuse_unsafe_production(settings)
    return settings


def _refuse_unsafe_production(settings: Settings) -> None:
    if not settings.is_production:
        return
    if settings.jwt_secret == DEVELOPMENT_JWT_SECRET:
        raise ConfigurationError("CHANCERY_ENV=production refuses the development JWT secret")
    if not settings.jwks_url:
        raise ConfigurationError("CHANCERY_ENV=production needs CHANCERY_JWKS_URL (RS256 tokens)")
    if not settings.pii_keys or DEVELOPMENT_PII_KEY in settings.pii_keys:
        raise ConfigurationError("CHANCERY_ENV=production needs CHANCERY_PII_KEYS of its own (Fernet keys)")
    if settings.calendar_secret in ("", DEVELOPMENT_CALENDAR_SECRET):
        raise ConfigurationError("CHANCERY_ENV=production needs a CHANCERY_CALENDAR_SECRET of its own")
