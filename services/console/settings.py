"""The console's configuration, from environment variables only (README, "Environment")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from shared.config import TracingSettings
from shared.environment import ConfigurationError
from shared.suite import PORTS, SERVICE_PORTS

CONSOLE_PORT = PORTS["console"]

DEVELOPMENT_SECRET_KEY = "chancery-console-development-key-do-not-use-in-production"


@dataclass(frozen=True)
class ConsoleSettings:
    environment: str
    port: int
    secret_key: str
    database_url: str
    service_urls: dict[str, str]
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    session_idle_minutes: int
    api_timeout_seconds: float
    var_dir: Path
    stream_seconds: float = 60
    stream_heartbeat_seconds: float = 5  # also how soon a page that went away gives its stream's slot back
    max_streams: int = 1000
    # The operators' page (decision 0098): each worker's probes and metrics, RabbitMQ's metrics (one address per
    # node: each exports only the queues it leads, decision 0216), Grafana.
    worker_urls: dict[str, str] = field(default_factory=dict)
    broker_metrics_urls: tuple[str, ...] = ()
    namespace: str = ""
    grafana_url: str = ""
    # Read by shared.observability (logging and tracing), as a service's settings are.
    service: str = "console"
    log_level: str = "INFO"
    tracing: TracingSettings = field(default_factory=TracingSettings)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def development_sign_in(self) -> bool:
        """The development sign-in page: development with no identity provider configured."""
        return self.environment == "development" and not self.oidc_issuer


def load_console_settings(overrides: dict[str, str] | None = None) -> ConsoleSettings:
    source = {**os.environ, **(overrides or {})}

    def env(name: str, default: str) -> str:
        return source.get(name) or default

    var_dir = Path(env("CHANCERY_VAR_DIR", "var"))
    environment = env("CHANCERY_ENV", "development")
    settings = ConsoleSettings(
        environment=environment,
        port=int(env("CONSOLE_PORT", str(CONSOLE_PORT))),
        secret_key=env("CONSOLE_SECRET_KEY", DEVELOPMENT_SECRET_KEY if environment == "development" else ""),
        database_url=env("CONSOLE_DATABASE_URL", f"sqlite:///{var_dir / 'console'}.db"),
        service_urls={name: env(f"CONSOLE_{name.upper()}_URL", f"http://127.0.0.1:{port}")
                      for name, port in _service_ports(source).items()},
        oidc_issuer=env("CHANCERY_OIDC_ISSUER", ""),
        oidc_client_id=env("CONSOLE_OIDC_CLIENT_ID", "chancery-console"),
        oidc_client_secret=env("CONSOLE_OIDC_CLIENT_SECRET", ""),
        session_idle_minutes=int(env("CONSOLE_SESSION_IDLE_MINUTES", "480")),
        api_timeout_seconds=float(env("CONSOLE_API_TIMEOUT_SECONDS", "5")),
        var_dir=var_dir,
        stream_seconds=float(env("CONSOLE_STREAM_SECONDS", "60")),
        stream_heartbeat_seconds=float(env("CONSOLE_STREAM_HEARTBEAT_SECONDS", "5")),
        max_streams=int(env("CONSOLE_MAX_STREAMS", "1000")),
        worker_urls={name: env(f"CONSOLE_{name.upper()}_WORKER_URL", "") for name in SERVICE_PORTS},
        broker_metrics_urls=tuple(env("CONSOLE_BROKER_METRICS_URL", "").split()),
        namespace=env("CHANCERY_NAMESPACE", ""),
        grafana_url=env("CONSOLE_GRAFANA_URL", "").rstrip("/"),
        log_level=env("CHANCERY_LOG_LEVEL", "INFO"),
        tracing=TracingSettings.load(overrides),
    )
    _refuse_unsafe_production(settings)
    return settings


def _service_ports(source: dict[str, str]) -> dict[str, int]:
    """Where each service listens on this machine (`make run`), unless CONSOLE_<SERVICE>_URL says otherwise."""
    return {name: int(source.get(f"{name.upper()}_PORT") or port) for name, port in SERVICE_PORTS.items()}


def _refuse_unsafe_production(settings: ConsoleSettings) -> None:
    if settings.environment == "development":
        return
    if not settings.oidc_issuer:
        raise ConfigurationError(f"CHANCERY_ENV={settings.environment} needs CHANCERY_OIDC_ISSUER: "
                                 "only development signs people in without an identity provider")
    if settings.secret_key in ("", DEVELOPMENT_SECRET_KEY):
        raise ConfigurationError(f"CHANCERY_ENV={settings.environment} needs a CONSOLE_SECRET_KEY of its own")
