"""Visa support letters: drafted from a member's passport data, reviewed, approved and issued with a registry
number; their personal data purged once the visit is long over. Events and audit records name the letter, never
the personal data in it."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from services.visits.domain.visa_letters import (
    PERSONAL_FIELDS,
    VISA_LETTER_LIFECYCLE,
    VISA_LETTER_REGISTRY,
    LetterStatus,
    purge_due,
    registry_number,
)
from services.visits.events import contents
from services.visits.operations.records import find_current
from services.visits.operations.visits import find_visit, open_visit
from services.visits.store.models import DelegationMember, VisaLetter, Visit, registry
from shared.db import find
from shared.kit.refusals import Conflict, Invalid
from shared.registry import next_in_registry
from shared.uow import UnitOfWork


class PersonalDataPurged(Conflict):
    def __init__(self, detail: str):
        super().__init__(detail, slug="personal-data-purged")


def record_letter_change(uow: UnitOfWork, visit: Visit, letter: VisaLetter, action: str, changes: dict[str, Any]
                         ) -> None:
    uow.record_change("visa-letter", action, letter, partial(contents.visa_letter, visit=visit), changes,
                      part_of=visit)


def draft_letter(uow: UnitOfWork, visit_id: str, fields: dict[str, Any]) -> VisaLetter:
    """A letter for a member of the visit's delegation from their passport data (`fields`: member_id, language
    code, consulate, passport_number, date_of_birth, place_of_birth, passport_expires_on)."""
    expires_on = fields["passport_expires_on"]
    if expires_on and expires_on < fields["date_of_birth"]:
        raise Invalid("passport_expires_on", "a passport cannot expire before its holder was born")
    visit = open_visit(uow.session, visit_id)
    member = find(uow.session, DelegationMember, fields["member_id"], "member", visit_id=visit.id)
    if expires_on and expires_on <= visit.ends_on:
        raise Invalid("passport_expires_on", "the passport expires before the visit ends")
    letter = VisaLetter(visit_id=visit.id, member_id=member.id, language=fields["language"],
                        consulate=fields["consulate"], passport_number=fields["passport_number"],
                        date_of_birth=fields["date_of_birth"].isoformat(), place_of_birth=fields["place_of_birth"],
                        passport_expires_on=expires_on, status=LetterStatus.DRAFT.value, version=1,
                        created_by=uow.actor)
    uow.session.add(letter)
    record_letter_change(uow, visit, letter, "drafted", {"member_id": member.id, "language": letter.language,
                                                         "consulate": letter.consulate,
                                                         "personal_data": list(PERSONAL_FIELDS)})
    return letter


def move_letter(uow: UnitOfWork, visit_id: str, letter_id: str, action: str, reason: str | None,
                expected_version: frozenset[int] | None) -> VisaLetter:
    """Submit, approve, return (with the reason) or issue the letter; a letter without its passport data is not
    issued."""
    visit = find_visit(uow.session, visit_id)
    letter = find_current(uow.session, VisaLetter, letter_id, "visa letter", expected_version, visit_id=visit.id)
    VISA_LETTER_LIFECYCLE.next_status(letter.status, action, reason)
    if action == "issue" and letter.personal_data_purged_at is not None:
        raise PersonalDataPurged("a letter without passport data cannot be issued")
    VISA_LETTER_LIFECYCLE.advance(letter, action, reason)
    if action == "issue":
        issue(uow, letter)
    record_letter_change(uow, visit, letter, VISA_LETTER_LIFECYCLE.past_tense(action),
                         {"status": letter.status, "reason": reason})
    return letter


def issue(uow: UnitOfWork, letter: VisaLetter) -> None:
    today = uow.now().date()
    sequence = next_in_registry(uow.session, registry, VISA_LETTER_REGISTRY, today.year)
    letter.registry_number, letter.issued_on = registry_number(today.year, sequence), today


def purge_personal_data(uow: UnitOfWork, now: datetime, retention: int) -> None:
    """Erase the passport data of letters whose visit ended more than `retention` days ago."""
    rows = uow.session.execute(
        select(VisaLetter, Visit).join(Visit, Visit.id == VisaLetter.visit_id)
        .where(VisaLetter.personal_data_purged_at.is_(None), Visit.ends_on < now.date())).all()
    for letter, visit in rows:
        if purge_due(visit.ends_on, now.date(), retention):
            for name in PERSONAL_FIELDS:
                setattr(letter, name, None)
            letter.personal_data_purged_at, letter.version = now, letter.version + 1
            uow.audit("personal-data.purged", "visa-letter", letter.id,
                      {"visit_id": visit.id, "fields": list(PERSONAL_FIELDS)})
            record_letter_change(uow, visit, letter, "purged", {"retention_days": retention})
