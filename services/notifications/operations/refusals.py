"""The refusals the notifications use cases share: a pattern outside the caller's departments, a registration
that already exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.notifications.domain.audience import PatternNotAllowed, check_pattern_allowed
from shared.kit.refusals import Conflict, Invalid


def require_pattern_allowed(pattern: str, roles: frozenset[str], field: str) -> None:
    """Invalid on `field` (the request's name for what the pattern came from) unless `roles` may hear it."""
    try:
        check_pattern_allowed(pattern, roles)
    except PatternNotAllowed as error:
        raise Invalid(field, str(error)) from error


@contextmanager
def refused_when_duplicate(session: Session, title: str, detail: str) -> Iterator[None]:
    """Add the new row in the block; it is flushed at the end, and a unique constraint it breaks is a Conflict
    (`duplicate`) instead of a database error."""
    try:
        yield
        session.flush()
    except IntegrityError as error:
        raise Conflict(detail, slug="duplicate", title=title) from error
