"""The agreement and commitment use cases on an in-memory unit of work, and the notices the worker sends."""

from datetime import UTC, date, datetime

import pytest

from services.contracts.domain.refusals import NotInThisState
from services.contracts.operations import agreements, commitments
from services.contracts.tests.procurement_story import ACTIVITY, AGREEMENT, open_commitment, signed_agreement
from shared.kit.lifecycle import MissingReason
from shared.kit.refusals import Invalid


def test_a_drafted_agreement_announces_its_plan_of_activities(uow):
    agreement = agreements.draft_agreement(uow, AGREEMENT, [ACTIVITY], {"title": AGREEMENT["title"]})
    event_type, subject, data = uow.events[-1]
    assert event_type == "chancery.contracts.agreement.drafted.v1" and subject == agreement.id
    assert [activity["due_on"] for activity in data["activities"]] == ["2027-09-15"]


def test_an_activity_due_outside_the_validity_is_refused_naming_its_position(uow):
    with pytest.raises(Invalid) as refused:
        agreements.draft_agreement(uow, AGREEMENT, [ACTIVITY, {**ACTIVITY, "due_on": date(2032, 1, 1)}], {})
    assert refused.value.field == "activities.1.due_on"


def test_a_signed_agreement_changes_only_by_an_amendment_with_a_rationale(uow):
    agreement = signed_agreement(uow)
    with pytest.raises(NotInThisState):
        agreements.update_agreement(uow, agreement.id, {"title": "Another"}, {}, None)
    with pytest.raises(MissingReason):
        agreements.amend_agreement(uow, agreement.id, "", date(2032, 3, 31), None, None, None)
    amendment = agreements.amend_agreement(uow, agreement.id, "Extended", date(2032, 3, 31), None, None, None)
    assert amendment.changes == {"valid_until": ["2031-03-31", "2032-03-31"]}
    assert agreement.status == "signed" and agreement.status_reason is None


def test_expiry_ahead_is_announced_once_per_validity_end(uow):
    agreement = signed_agreement(uow)
    agreements.announce_expiring_agreements(uow, date(2031, 1, 1))
    agreements.announce_expiring_agreements(uow, date(2031, 1, 2))
    assert uow.event_types().count("chancery.contracts.agreement.expiring.v1") == 1
    assert uow.audits[-1] == ("agreement.expiring", "agreement", agreement.id,
                              {"valid_until": "2031-03-31", "notice_days": 90})


def test_a_commitment_is_announced_due_then_overdue_once_each_with_the_flags_of_that_day(uow, clock):
    commitment = open_commitment(uow)
    clock.at = datetime(2027, 1, 1, tzinfo=UTC)
    for day in (date(2027, 6, 1), date(2027, 6, 2), date(2027, 7, 1), date(2027, 7, 2)):
        commitments.announce_due_and_overdue_commitments(uow, day)
    notices = [(event_type, data["due_soon"], data["overdue"]) for event_type, subject, data in uow.events[1:]
               if subject == commitment.id]
    assert notices == [("chancery.contracts.commitment.due.v1", True, False),
                       ("chancery.contracts.commitment.overdue.v1", False, True)]


def test_a_breach_needs_a_reason_and_a_breached_commitment_may_still_be_fulfilled(uow):
    commitment = open_commitment(uow)
    with pytest.raises(MissingReason):
        commitments.move_commitment(uow, commitment.id, "breach", None, None)
    commitments.move_commitment(uow, commitment.id, "breach", "Missed the date", None)
    commitments.fulfil_commitment(uow, commitment.id, "Grid connected", date(2027, 8, 1), {}, None)
    assert commitment.status == "fulfilled" and uow.event_types()[-2:] == [
        "chancery.contracts.commitment.breached.v1", "chancery.contracts.commitment.fulfilled.v1"]
