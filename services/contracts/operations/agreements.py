"""Cooperation agreements: drafted with their plan of activities, changed while drafts, submitted, approved by
the mayor's office, cleared with the foreign ministry when the partner is abroad, signed, amended with a rationale,
terminated or cancelled; their documents; expiry ahead announced once per validity end."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contracts.domain.agreement import (
    AGREEMENT_LIFECYCLE,
    EDITABLE,
    MARKING,
    AgreementStatus,
    check_activities,
    check_chain,
    check_clearance,
    check_signable,
    check_validity,
    is_international,
    needs_expiry_notice,
)
from services.contracts.events import contents
from services.contracts.operations.versions import check_editable, set_fields, take_action
from services.contracts.store.models import Agreement, AgreementActivity, AgreementAmendment, AgreementDocument
from shared.db import finder, withheld_from_none
from shared.kit.refusals import Invalid, require_version
from shared.uow import UnitOfWork

find_agreement = finder(Agreement, "agreement")


def record_agreement_change(uow: UnitOfWork, agreement: Agreement, action: str, changes: dict[str, Any]) -> None:
    uow.session.flush()
    uow.session.refresh(agreement, ["activities"])
    uow.record_change("agreement", action, agreement, contents.agreement, changes)


def replace_activities(session: Session, agreement: Agreement, wanted: list[dict[str, Any]]) -> dict[str, Any]:
    """Make the plan exactly `wanted`, keeping the ids of activities sent with their id; what changed."""
    current = {activity.id: activity for activity in agreement.activities}
    for position, item in enumerate(wanted):
        if item.get("id") and item["id"] not in current:
            raise Invalid(f"activities.{position}.id", "no such activity in this agreement")
    kept = {item["id"] for item in wanted if item.get("id")}
    removed = [current[key] for key in current if key not in kept]
    for gone in removed:
        session.delete(gone)
    session.flush()
    added = 0
    for position, item in enumerate(wanted, start=1):
        activity = current.get(item["id"]) if item.get("id") else None
        if activity is None:
            activity = AgreementActivity(agreement_id=agreement.id)
            session.add(activity)
            added += 1
        activity.position, activity.title = position, item["title"]
        activity.due_on, activity.responsible_body = item["due_on"], item["responsible_body"]
    session.flush()
    session.refresh(agreement, ["activities"])
    return {"activities": {"added": added, "removed": [a.id for a in removed], "count": len(wanted)}}


def check_plan(agreement: Agreement) -> None:
    check_validity(agreement.valid_from, agreement.valid_until)
    check_activities([a.due_on for a in agreement.activities], agreement.valid_from, agreement.valid_until)


def draft_agreement(uow: UnitOfWork, fields: dict[str, Any], activities: list[dict[str, Any]],
                    changes: dict[str, Any]) -> Agreement:
    agreement = Agreement(**fields, status=AgreementStatus.DRAFT.value, version=1, created_by=uow.actor)
    uow.session.add(agreement)
    uow.session.flush()
    replace_activities(uow.session, agreement, activities)
    check_plan(agreement)
    record_agreement_change(uow, agreement, "drafted", changes)
    return agreement


def update_agreement(uow: UnitOfWork, agreement_id: str, fields: dict[str, Any], changes: dict[str, Any],
                     expected_version: frozenset[int] | None) -> Agreement:
    """Change a draft (`activities`, if sent, is the whole plan); a signed agreement changes only by amendment,
    its marking in any state. No fields change nothing."""
    agreement = find_agreement(uow.session, agreement_id, for_update=True)
    if fields and fields.keys() <= MARKING:
        require_version(agreement.version, expected_version)
    else:
        check_editable(agreement, expected_version, AGREEMENT_LIFECYCLE, EDITABLE,
                       "a {status} agreement changes only by amendment")
    if not fields:
        return agreement
    activities = fields.pop("activities", None)
    set_fields(agreement, fields)
    if activities is not None:
        replace_activities(uow.session, agreement, activities)
    check_plan(agreement)
    record_agreement_change(uow, agreement, "updated", changes)
    return agreement


def international(uow: UnitOfWork, agreement: Agreement) -> bool:
    return is_international(agreement.country, uow.settings.home_country)


def sign_agreement(uow: UnitOfWork, agreement_id: str, signed_on: date, signatories: str | None,
                   changes: dict[str, Any], expected_version: frozenset[int] | None) -> Agreement:
    """Signed with its plan of activities, before it would expire, once its approval chain is complete."""
    agreement = find_agreement(uow.session, agreement_id, for_update=True)
    require_version(agreement.version, expected_version)
    check_chain(agreement.status, "sign", international(uow, agreement))
    check_signable(len(agreement.activities), signed_on, agreement.valid_until)
    previous = AGREEMENT_LIFECYCLE.advance(agreement, "sign")
    agreement.signed_on, agreement.signatories = signed_on, signatories
    record_agreement_change(uow, agreement, "signed", {"status": [previous, agreement.status], **changes})
    return agreement


def clear_agreement(uow: UnitOfWork, agreement_id: str, cleared_on: date, reference: str,
                    changes: dict[str, Any], expected_version: frozenset[int] | None) -> Agreement:
    """Record the foreign ministry's clearance of an approved agreement with a partner abroad: its date and
    reference."""
    agreement = find_agreement(uow.session, agreement_id, for_update=True)
    require_version(agreement.version, expected_version)
    check_chain(agreement.status, "clear", international(uow, agreement))
    check_clearance(cleared_on, agreement.approved_at, uow.now().date())
    previous = AGREEMENT_LIFECYCLE.advance(agreement, "clear")
    agreement.cleared_on, agreement.clearance_reference = cleared_on, reference
    record_agreement_change(uow, agreement, "cleared", {"status": [previous, agreement.status], **changes})
    return agreement


def amend_agreement(uow: UnitOfWork, agreement_id: str, rationale: str, valid_until: date | None,
                    areas: list[str] | None, activities: list[dict[str, Any]] | None,
                    expected_version: frozenset[int] | None) -> AgreementAmendment:
    """Change a signed agreement's validity, areas or plan, keeping what changed and why."""
    agreement = find_agreement(uow.session, agreement_id, for_update=True)
    require_version(agreement.version, expected_version)
    AGREEMENT_LIFECYCLE.advance(agreement, "amend", rationale)
    agreement.status_reason = None  # the rationale is the amendment's, not the agreement's state
    changes: dict[str, Any] = {}
    if valid_until is not None:
        changes["valid_until"] = [agreement.valid_until.isoformat(), valid_until.isoformat()]
        agreement.valid_until = valid_until
    if areas is not None:
        changes["areas"] = [agreement.areas, areas]
        agreement.areas = areas
    if activities is not None:
        changes.update(replace_activities(uow.session, agreement, activities))
    check_plan(agreement)
    amendment = AgreementAmendment(agreement_id=agreement.id, rationale=rationale, changes=changes,
                                   amended_at=uow.now(), created_by=uow.actor)
    uow.session.add(amendment)
    record_agreement_change(uow, agreement, "amended", {"rationale": rationale, "changes": changes})
    return amendment


def move_agreement(uow: UnitOfWork, agreement_id: str, action: str, reason: str | None,
                   expected_version: frozenset[int] | None) -> Agreement:
    """Submit a draft, approve or send back a submitted one (the mayor's office), terminate a signed agreement or
    cancel one not yet signed; sending back, terminating and cancelling with a reason."""
    agreement = find_agreement(uow.session, agreement_id, for_update=True)
    require_version(agreement.version, expected_version)
    check_chain(agreement.status, action, international(uow, agreement))
    changes = take_action(agreement, AGREEMENT_LIFECYCLE, action, reason, expected_version)
    if action == "approve":
        agreement.approved_at, agreement.approved_by = uow.now(), uow.actor
    record_agreement_change(uow, agreement, AGREEMENT_LIFECYCLE.past_tense(action), changes)
    return agreement


def add_document(uow: UnitOfWork, agreement_id: str, fields: dict[str, Any],
                 changes: dict[str, Any]) -> AgreementDocument:
    agreement = find_agreement(uow.session, agreement_id)
    document = AgreementDocument(agreement_id=agreement.id, **fields, added_at=uow.now(), created_by=uow.actor)
    uow.session.add(document)
    uow.record_change("agreement-document", "added", document,
                      lambda record: contents.agreement_document(record, agreement), changes, part_of=agreement)
    return document


def announce_expiring_agreements(uow: UnitOfWork, today: date) -> None:
    """`agreement.expiring` once for each signed agreement entering its notice period before expiry. A withheld
    one waits until it is released: outreach, which opens the renewal task, hears of it then (decision 0190)."""
    notice_days = uow.settings.agreement_notice_days
    candidates = uow.session.scalars(select(Agreement).where(
        Agreement.status == AgreementStatus.SIGNED.value, Agreement.valid_until >= today,
        Agreement.valid_until <= today + timedelta(days=notice_days), withheld_from_none(Agreement, uow.now())))
    for agreement in candidates:
        if needs_expiry_notice(AgreementStatus(agreement.status), agreement.valid_until,
                               agreement.expiry_noticed_for, today, notice_days):
            agreement.expiry_noticed_for = agreement.valid_until
            uow.record_change("agreement", "expiring", agreement, contents.agreement,
                              {"valid_until": agreement.valid_until.isoformat(), "notice_days": notice_days})
