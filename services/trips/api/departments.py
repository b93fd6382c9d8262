"""Whose trips and proposals the caller may read (docs/decisions/0080): the travel desk, the mayor's office,
auditors and admins every department's; a department head only its own department's, by its token's
`department` claim."""

from __future__ import annotations

from flask import g

EVERY_DEPARTMENT = ("travel",)  # the travel desk arranges every department's trips


def caller_scope() -> str | None:
    """The department whose records alone the caller reads, or None when it reads every department's."""
    principal = g.principal
    return None if principal.sees_every_department(EVERY_DEPARTMENT) else (principal.department or "")
