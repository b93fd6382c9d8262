"""What outreach's endpoints share that is outreach's own: its roles, the day its rules count from, and how a
contact person's personal data is shown (masked for some, an unmasked read audited: decision 0045)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, g

from shared.http.records import record_response
from shared.http.work import audit_personal_data_read, runtime
from shared.pii import reveal_or_mask

READERS = ("outreach", "mayor-office")
WRITERS = ("outreach",)
# A department head reads its own department's plan items and reports on them (decision 0136).
PLAN_READERS = (*READERS, "department-head")
PLAN_REPORTERS = (*WRITERS, "department-head")
PERSONAL_DATA_READERS = ("outreach",)  # the mayor's office sees contacts' e-mail and phone masked
CONTACT_DETAILS = ("email", "phone")  # personal data of every contact person (docs/decisions/0005, 0045)


def today() -> date:
    """The day by the service's clock (overdue plan items, relationships holding now); tests may freeze it."""
    return runtime().clock().date()


def caller_scope() -> str | None:
    """The department whose plan items alone the caller reads, "" for a head of no department (who reads none),
    or None for a reader of every department's (outreach and the office-wide roles)."""
    principal = g.principal
    return None if principal.sees_every_department(WRITERS) else (principal.department or "")


def may_read_personal_data() -> bool:
    return g.principal.has_any(PERSONAL_DATA_READERS)


def masked(body: dict[str, Any], fields: tuple[str, ...], may_read: bool) -> dict[str, Any]:
    return {**body, **{name: reveal_or_mask(body[name], may_read) for name in fields}}


def as_caller_may_see(body: dict[str, Any], fields: tuple[str, ...] = CONTACT_DETAILS) -> dict[str, Any]:
    """A record just written, answered to its writer: unmasked only for roles that may read personal data."""
    return masked(body, fields, may_read_personal_data())


def personal_record_response(body: dict[str, Any], version: int, record: str,
                             fields: tuple[str, ...] = CONTACT_DETAILS) -> Response:
    """One record read as the caller may see it; reading its personal data unmasked is recorded in the audit."""
    may_read = may_read_personal_data()
    revealed = sorted(name for name in fields if body[name] is not None) if may_read else []
    if revealed:
        audit_personal_data_read(record, body["id"], revealed)
    return record_response(masked(body, fields, may_read), version)
