"""The documents each traveller needs before an international trip is approved (docs/decisions/0025)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from shared.kit.refusals import Conflict, Invalid


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    VISA = "visa"
    INSURANCE = "insurance"
    TRAVEL_ORDER = "travel_order"


class DocumentStatus(StrEnum):
    MISSING = "missing"
    REQUESTED = "requested"
    OBTAINED = "obtained"
    NOT_REQUIRED = "not_required"  # only a visa can be: many destinations need none


# Most countries ask that a passport stay valid for months after the traveller leaves; six is the safe rule.
PASSPORT_VALID_MONTHS_AFTER_RETURN = 6
WAIVABLE = {DocumentKind.VISA}
RECORDED_KINDS = (DocumentKind.VISA, DocumentKind.INSURANCE, DocumentKind.TRAVEL_ORDER)


class NotWaivable(Invalid):
    def __init__(self, kind: DocumentKind):
        super().__init__("status", f"a {kind.value.replace('_', ' ')} is always required; only a visa can be "
                                   "not_required")


class DocumentsMissing(Conflict):
    """An international trip is approved for departure only with every traveller's documents in order."""

    def __init__(self, missing: list[dict[str, str]], allowed_actions: list[str]):
        super().__init__("The travellers' documents are not in order; see missing_documents",
                         slug="documents-missing", missing_documents=missing,
                         allowed_actions=allowed_actions)


@dataclass(frozen=True)
class Recorded:
    status: DocumentStatus
    valid_until: date | None = None


@dataclass(frozen=True)
class Papers:
    """What is known of one traveller's documents."""

    traveller_id: str
    passport_on_file: bool
    passport_expires_on: date | None
    recorded: dict[DocumentKind, Recorded] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistItem:
    kind: DocumentKind
    status: DocumentStatus
    valid_until: date | None
    problem: str | None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def check_waivable(kind: DocumentKind, status: DocumentStatus) -> None:
    if status == DocumentStatus.NOT_REQUIRED and kind not in WAIVABLE:
        raise NotWaivable(kind)


def _passport(papers: Papers, ends_on: date) -> ChecklistItem:
    needed_until = add_months(ends_on, PASSPORT_VALID_MONTHS_AFTER_RETURN)
    if not papers.passport_on_file or papers.passport_expires_on is None:
        return ChecklistItem(DocumentKind.PASSPORT, DocumentStatus.MISSING, None, "no passport on file")
    if papers.passport_expires_on < needed_until:
        return ChecklistItem(DocumentKind.PASSPORT, DocumentStatus.OBTAINED, papers.passport_expires_on,
                             f"the passport expires on {papers.passport_expires_on.isoformat()}; it must be valid "
                             f"until at least {needed_until.isoformat()}")
    return ChecklistItem(DocumentKind.PASSPORT, DocumentStatus.OBTAINED, papers.passport_expires_on, None)


def _recorded(kind: DocumentKind, recorded: Recorded | None, ends_on: date) -> ChecklistItem:
    if recorded is None:
        return ChecklistItem(kind, DocumentStatus.MISSING, None, "not recorded")
    if recorded.status == DocumentStatus.NOT_REQUIRED:
        return ChecklistItem(kind, recorded.status, None, None)
    if recorded.status != DocumentStatus.OBTAINED:
        return ChecklistItem(kind, recorded.status, recorded.valid_until, f"{recorded.status.value}, not obtained")
    if recorded.valid_until is not None and recorded.valid_until < ends_on:
        return ChecklistItem(kind, recorded.status, recorded.valid_until,
                             f"valid only until {recorded.valid_until.isoformat()}, before the trip ends")
    return ChecklistItem(kind, recorded.status, recorded.valid_until, None)


def checklist(papers: Papers, ends_on: date) -> list[ChecklistItem]:
    return [_passport(papers, ends_on),
            *(_recorded(kind, papers.recorded.get(kind), ends_on) for kind in RECORDED_KINDS)]


def missing_documents(travellers: list[Papers], ends_on: date) -> list[dict[str, str]]:
    """Every document that keeps the trip from being approved for departure, with why."""
    return [{"traveller_id": papers.traveller_id, "kind": item.kind.value, "problem": item.problem}
            for papers in travellers for item in checklist(papers, ends_on) if item.problem]
