"""When a failed delivery is tried again, when it gives up, and when a failing webhook is switched off."""

from __future__ import annotations

from datetime import datetime, timedelta


def next_attempt_at(attempts_made: int, now: datetime, base_seconds: float, max_seconds: float) -> datetime:
    """Exponential backoff: base, 2×base, 4×base … after the 1st, 2nd, 3rd … failed attempt, capped."""
    return now + timedelta(seconds=min(base_seconds * 2 ** (attempts_made - 1), max_seconds))


def gives_up(attempts_made: int, max_attempts: int, retryable: bool) -> bool:
    return not retryable or attempts_made >= max_attempts


def disables_webhook(consecutive_failures: int, threshold: int) -> bool:
    """A webhook that failed this many attempts in a row (any deliveries) is switched off until its owner
    enables it again."""
    return consecutive_failures >= threshold
