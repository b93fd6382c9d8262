"""The contract use cases on an in-memory unit of work: signing, milestones, amendments and payments."""

from datetime import date

import pytest

from services.contracts.domain.contract import Party
from services.contracts.domain.refusals import NotInThisState
from services.contracts.operations import contracts
from services.contracts.tests.procurement_story import active_award, active_contract, eur
from shared.kit.lifecycle import MissingReason
from shared.kit.refusals import Invalid, NotFound

TERMS = {"title": "Venue for the Forum", "period_start": date(2027, 3, 1), "period_end": date(2027, 6, 30),
         "buyer_signatory": "Mayor", "supplier_signatory": "Director"}


def test_a_contract_takes_the_awards_value_and_is_active_once_both_sides_have_signed(uow, clock):
    award = active_award(uow, clock)
    contract = contracts.create_contract(uow, award.id, TERMS, {})
    contracts.sign_contract(uow, contract.id, Party.BUYER, date(2027, 3, 1), {}, None)
    assert contract.status == "pending"
    contracts.sign_contract(uow, contract.id, Party.SUPPLIER, date(2027, 3, 2), {}, None)
    assert contract.status == "active" and uow.events[-1][2]["value"] == {"amount": "174000.00", "currency": "EUR"}
    with pytest.raises(NotInThisState):
        contracts.create_contract(uow, award.id, TERMS, {})


def test_a_payment_beyond_the_value_is_refused_naming_the_amount_and_a_fitting_one_is_recorded(uow, clock):
    contract = active_contract(uow, clock)
    with pytest.raises(Invalid) as refused:
        contracts.record_payment(uow, contract.id, {"paid_on": date(2027, 3, 5), "reference": "PO-1"},
                                 eur("174000.01"), {})
    assert refused.value.field == "value.amount"
    contracts.record_payment(uow, contract.id, {"paid_on": date(2027, 3, 5), "reference": "PO-1"},
                             eur("74000.00"), {"reference": "PO-1"})
    assert uow.event_types()[-1] == "chancery.contracts.contract-payment.recorded.v1"
    assert uow.audits[-1][0:2] == ("contract-payment.recorded", "contract-payment")


def test_an_amendment_keeps_what_changed_but_never_lowers_the_value_below_what_was_paid(uow, clock):
    contract = active_contract(uow, clock)
    contracts.record_payment(uow, contract.id, {"paid_on": date(2027, 3, 5), "reference": "PO-1"},
                             eur("74000.00"), {})
    with pytest.raises(Invalid):
        contracts.amend_contract(uow, contract.id, "Fewer guests", eur("70000.00"), None, None)
    amendment = contracts.amend_contract(uow, contract.id, "More guests", eur("180000.00"), None, "Venue+")
    assert amendment.changes == {"value": ["174000.00", "180000.00"], "title": ["Venue for the Forum", "Venue+"]}
    assert uow.event_types()[-1] == "chancery.contracts.contract.amended.v1"


def test_a_milestone_of_another_contract_is_not_found_and_missing_one_needs_a_reason(uow, clock):
    contract = active_contract(uow, clock)
    milestone, _ = contracts.schedule_milestone(uow, contract.id, {
        "title": "Venue booked", "milestone_type": "delivery", "due_on": date(2027, 4, 1)}, None, {})
    with pytest.raises(NotFound):
        contracts.move_milestone(uow, "another-contract", milestone.id, "meet", None, None, {}, None)
    with pytest.raises(MissingReason):
        contracts.move_milestone(uow, contract.id, milestone.id, "miss", None, None, {}, None)
    contracts.move_milestone(uow, contract.id, milestone.id, "meet", None, None, {}, None)
    assert milestone.date_met == clock.at.date()
    assert uow.event_types()[-1] == "chancery.contracts.contract-milestone.met.v1"


def test_completing_a_contract_without_a_reason_records_it_as_completed(uow, clock):
    contract = active_contract(uow, clock)
    contracts.move_contract(uow, contract.id, "complete", None, None)
    assert contract.status == "terminated" and uow.events[-1][2]["status_reason"] == "completed"
