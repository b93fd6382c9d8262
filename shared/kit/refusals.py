"""What a rule or a use case refuses, said without HTTP: the web layer answers each as problem+json.

`Invalid` is a value the caller can correct (422, naming the field), `Conflict` a request the record's state
does not allow now (409), `NotFound` a record that is not there or not the caller's to see (404).
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A request refused by a rule: the client can act on it."""


class Invalid(Refusal, ValueError):
    def __init__(self, field: str, message: str, **extensions: Any):
        super().__init__(message)
        self.field, self.message, self.extensions = field, message, extensions


class Conflict(Refusal):
    """`slug` names the problem type the web layer answers with (its title and description are registered there)."""

    def __init__(self, detail: str, *, slug: str = "conflict", **extensions: Any):
        super().__init__(detail)
        self.detail, self.slug, self.extensions = detail, slug, extensions


class NotFound(Refusal, LookupError):
    def __init__(self, label: str, record_id: str):
        super().__init__(f"No {label} {record_id}")
        self.label, self.record_id = label, record_id


class StaleVersion(Refusal):
    """The caller changed an older version of the record than the one stored (If-Match)."""

    def __init__(self, current: int):
        super().__init__(f"Current version is \"{current}\"; reload and retry")
        self.current = current


def require_version(current: int, expected: frozenset[int] | None) -> None:
    """StaleVersion unless `current` is among the versions the caller last read (None: any will do)."""
    if expected is not None and current not in expected:
        raise StaleVersion(current)
