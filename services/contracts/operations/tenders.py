"""Tenders along OCDS: preparing one for an approved plan line, changing it in planning, publishing it and
closing it; its documents; the enquiry period's questions and the answers published to every bidder."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.contracts.domain.award import Criterion
from services.contracts.domain.refusals import NotInThisState
from services.contracts.domain.tender import (
    EDITABLE,
    TENDER_LIFECYCLE,
    TenderProblem,
    TenderStatus,
    check_answer_accepted,
    check_award_criteria,
    check_periods,
    check_publishable,
    check_question_accepted,
    check_tender_values,
)
from services.contracts.events import contents
from services.contracts.operations.plan_lines import check_tenderable, find_plan_line, mark_tendered
from services.contracts.operations.versions import check_editable, set_fields, take_action
from services.contracts.store.models import Enquiry, Lot, PlanLine, Supplier, Tender, TenderDocument
from shared.db import find, finder
from shared.kit.ids import new_id
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork

find_tender = finder(Tender, "tender")


def record_tender_change(uow: UnitOfWork, tender: Tender, action: str, changes: dict[str, Any]) -> None:
    uow.session.flush()
    uow.session.refresh(tender, ["lots"])
    uow.record_change("tender", action, tender, contents.tender, changes)


def not_in_this_state(tender: Tender, detail: str) -> NotInThisState:
    return NotInThisState(detail, TENDER_LIFECYCLE.allowed_actions(tender.status))


def money(value: dict[str, Any]) -> tuple[Decimal, str]:
    return value["amount"], value["currency"]


def check_tender(line: PlanLine, fields: dict[str, Any]) -> None:
    """The periods, the published criteria and the values against the plan line's budget."""
    check_periods(fields["enquiry_ends_at"], fields["submission_deadline"])
    criteria, step = fields.get("criteria"), fields.get("minimum_step")
    check_award_criteria(fields["award_criteria"], None if criteria is None else
                         [Criterion(c["name"], c["weight"]) for c in criteria])
    check_tender_values(method=line.procurement_method, budget=(line.budget_amount, line.currency),
                        value=money(fields["value"]), lots=[money(lot["value"]) for lot in fields["lots"]],
                        minimum_step=None if step is None else money(step))


def create_tender(uow: UnitOfWork, fields: dict[str, Any], changes: dict[str, Any]) -> Tender:
    """A tender in planning for an approved plan line, which becomes tendered; one lot unless lots are given."""
    line = find_plan_line(uow.session, fields["plan_line_id"], for_update=True)
    check_tenderable(line)
    check_tender(line, fields)
    tender_id, value, step, criteria = new_id(), fields["value"], fields.get("minimum_step"), fields.get("criteria")
    tender = Tender(
        id=tender_id, ocid=f"{uow.settings.ocid_prefix}-{tender_id}", plan_line_id=line.id, title=fields["title"],
        description=fields.get("description"), procurement_method=line.procurement_method,
        main_procurement_category=str(fields["main_procurement_category"]),
        award_criteria=str(fields["award_criteria"]), value_amount=value["amount"], currency=value["currency"],
        criteria=[{"name": c["name"], "weight": str(c["weight"])} for c in criteria] if criteria else None,
        minimum_step_amount=step["amount"] if step else None, enquiry_ends_at=fields["enquiry_ends_at"],
        submission_deadline=fields["submission_deadline"], status=TenderStatus.PLANNING.value, version=1,
        created_by=uow.actor)
    uow.session.add(tender)
    uow.session.flush()
    lots = [(lot["title"], lot["value"]["amount"]) for lot in fields["lots"]] or [(tender.title, value["amount"])]
    uow.session.add_all(Lot(tender_id=tender.id, position=position, title=title, value_amount=amount)
                        for position, (title, amount) in enumerate(lots, start=1))
    mark_tendered(uow, line, tender.id)
    record_tender_change(uow, tender, "created", changes)
    return tender


def update_tender(uow: UnitOfWork, tender_id: str, fields: dict[str, Any], changes: dict[str, Any],
                  expected_version: frozenset[int] | None) -> Tender:
    """Change a tender in planning; no fields change nothing (no new version, event or audit record)."""
    tender = find_tender(uow.session, tender_id, for_update=True)
    check_editable(tender, expected_version, TENDER_LIFECYCLE, EDITABLE,
                   "a tender that is {status} can no longer be changed")
    if not fields:
        return tender
    set_fields(tender, fields)
    check_periods(tender.enquiry_ends_at, tender.submission_deadline)
    record_tender_change(uow, tender, "updated", changes)
    return tender


def move_tender(uow: UnitOfWork, tender_id: str, action: str, reason: str | None,
                expected_version: frozenset[int] | None) -> Tender:
    """Take a lifecycle action; publishing needs the enquiry period still ahead (checked after the 409)."""
    tender = find_tender(uow.session, tender_id, for_update=True)
    changes = take_action(tender, TENDER_LIFECYCLE, action, reason, expected_version)
    if action == "publish":
        check_publishable(tender.enquiry_ends_at, tender.submission_deadline, uow.now())
        tender.published_at = uow.now()
    record_tender_change(uow, tender, TENDER_LIFECYCLE.past_tense(action), changes)
    return tender


def add_document(uow: UnitOfWork, tender_id: str, fields: dict[str, Any], changes: dict[str, Any]) -> TenderDocument:
    tender = find_tender(uow.session, tender_id)
    if tender.status not in (TenderStatus.PLANNING, TenderStatus.ACTIVE):
        raise not_in_this_state(tender, f"documents are added to a tender in planning or active, not {tender.status}")
    document = TenderDocument(tender_id=tender.id, **fields, published_at=uow.now(), created_by=uow.actor)
    uow.session.add(document)
    uow.record_change("tender-document", "published", document, contents.tender_document, changes)
    return document


def ask_question(uow: UnitOfWork, tender_id: str, supplier_id: str | None, question: str,
                 changes: dict[str, Any]) -> Enquiry:
    """A question taken during the enquiry period, from a known supplier or anonymously."""
    tender = find_tender(uow.session, tender_id)
    if supplier_id:
        find(uow.session, Supplier, supplier_id, "supplier")
    try:
        check_question_accepted(TenderStatus(tender.status), tender.enquiry_ends_at, uow.now())
    except TenderProblem as error:
        raise not_in_this_state(tender, error.message) from error
    enquiry = Enquiry(tender_id=tender.id, supplier_id=supplier_id, question=question, asked_at=uow.now(),
                      version=1, created_by=uow.actor)
    uow.session.add(enquiry)
    uow.record_change("enquiry", "asked", enquiry, contents.enquiry, changes)
    return enquiry


def answer_question(uow: UnitOfWork, tender_id: str, enquiry_id: str, answer: str, changes: dict[str, Any],
                    expected_version: frozenset[int] | None) -> Enquiry:
    """Publish the one answer to a question, before the submission deadline."""
    tender = find_tender(uow.session, tender_id)
    enquiry = find(uow.session, Enquiry, enquiry_id, "enquiry", for_update=True)
    if enquiry.tender_id != tender.id:
        raise TenderProblem("enquiry_id", "the enquiry belongs to another tender")
    require_version(enquiry.version, expected_version)
    if enquiry.answer is not None:
        raise NotInThisState("the answer is already published")
    try:
        check_answer_accepted(tender.submission_deadline, uow.now())
    except TenderProblem as error:
        raise NotInThisState(error.message) from error
    enquiry.answer, enquiry.answered_at, enquiry.version = answer, uow.now(), enquiry.version + 1
    uow.record_change("enquiry", "answered", enquiry, contents.enquiry, changes)
    return enquiry
