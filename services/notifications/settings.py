"""The notifications service's own settings (channels, retries, the live stream), from the environment only;
every variable is in the README."""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.notifications.domain.waiting import EscalationRule

DEFAULT_ESCALATIONS = Path(__file__).parent / "defaults" / "escalations.json"


@dataclass(frozen=True)
class NotificationSettings:
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    webhook_allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    send_timeout_seconds: float
    retry_base_seconds: float
    retry_max_seconds: float
    max_attempts: int
    webhook_disable_after: int
    webhook_secret_overlap_seconds: float
    send_lease_seconds: float
    dispatch_poll_seconds: float
    stream_seconds: float
    stream_heartbeat_seconds: float  # also how soon a closed page's stream notices and frees its slot
    max_streams: int
    escalations: tuple[EscalationRule, ...]


def load_notification_settings(overrides: dict[str, str] | None = None) -> NotificationSettings:
    source = {**os.environ, **(overrides or {})}

    def env(name: str, default: str) -> str:
        value = source.get(f"NOTIFICATIONS_{name}")
        return default if value is None or value == "" else value

    return NotificationSettings(
        smtp_host=env("SMTP_HOST", "localhost"),
        smtp_port=int(env("SMTP_PORT", "25")),
        smtp_user=env("SMTP_USER", ""),
        smtp_password=env("SMTP_PASSWORD", ""),
        smtp_starttls=env("SMTP_STARTTLS", "false").lower() == "true",
        mail_from=env("MAIL_FROM", "chancery@localhost"),
        webhook_allowed_networks=tuple(ipaddress.ip_network(part.strip(), strict=False)
                                       for part in env("WEBHOOK_ALLOWED_NETWORKS", "").split(",") if part.strip()),
        send_timeout_seconds=float(env("SEND_TIMEOUT_SECONDS", "10")),
        retry_base_seconds=float(env("RETRY_BASE_SECONDS", "5")),
        retry_max_seconds=float(env("RETRY_MAX_SECONDS", "3600")),
        max_attempts=int(env("MAX_ATTEMPTS", "8")),
        webhook_disable_after=int(env("WEBHOOK_DISABLE_AFTER", "5")),
        webhook_secret_overlap_seconds=float(env("WEBHOOK_SECRET_OVERLAP_SECONDS", "86400")),
        send_lease_seconds=float(env("SEND_LEASE_SECONDS", "120")),
        dispatch_poll_seconds=float(env("DISPATCH_POLL_SECONDS", "0.2")),
        stream_seconds=float(env("STREAM_SECONDS", "60")),
        stream_heartbeat_seconds=float(env("STREAM_HEARTBEAT_SECONDS", "5")),
        max_streams=max_streams(env),
        escalations=escalation_rules(Path(env("ESCALATIONS_FILE", str(DEFAULT_ESCALATIONS)))),
    )


def escalation_rules(path: Path) -> tuple[EscalationRule, ...]:
    """Who is told when a decision waits too long, per record type and role awaited (decision 0125)."""
    return tuple(EscalationRule.of(entry) for entry in json.loads(path.read_text(encoding="utf-8")))


def max_streams(env: Callable[[str, str], str]) -> int:
    """Live streams one web process may hold (default: half the connections its gevent worker serves at once,
    decision 0059); some connections always stay free for ordinary requests, so a limit that would take them all
    is refused at start-up."""
    connections = int(env("WORKER_CONNECTIONS", "1000"))
    limit = int(env("MAX_STREAMS", str(max(1, connections // 2))))
    if not 1 <= limit < connections:
        raise ValueError(f"NOTIFICATIONS_MAX_STREAMS must be between 1 and NOTIFICATIONS_WORKER_CONNECTIONS - 1 "
                         f"({connections - 1}), not {limit}")
    return limit
