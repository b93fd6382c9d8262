"""Today's date for the rules that depend on it (overdue plan items, relationships holding now); tests freeze it."""

from datetime import UTC, date, datetime


def today() -> date:
    return datetime.now(UTC).date()
