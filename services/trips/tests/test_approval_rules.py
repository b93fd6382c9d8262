"""The approval state machine and chains as plain rules, including a property-based walk."""

from datetime import date

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.trips.domain.trip import (
    DECIDING_ACTIONS,
    REASON_REQUIRED,
    TRANSITIONS,
    ApprovalStep,
    IllegalTransition,
    MissingReason,
    NoTravellers,
    NotTheApprover,
    TravellerCategory,
    TripStatus,
    allowed_actions,
    approval_chain,
    decide,
    decision_due_on,
    decision_overdue,
    next_status,
)

ROLES = [frozenset({"department-head"}), frozenset({"mayor-office"}), frozenset({"travel"}), frozenset({"admin"})]


def test_a_request_without_travellers_has_no_approval_chain():
    with pytest.raises(NoTravellers):
        approval_chain([])


def test_the_decision_is_due_two_weeks_before_departure_and_overdue_only_while_submitted():
    assert decision_due_on(date(2027, 5, 20)) == date(2027, 5, 6)
    assert decision_overdue(TripStatus.SUBMITTED, date(2027, 5, 20), date(2027, 5, 7))
    assert not decision_overdue(TripStatus.SUBMITTED, date(2027, 5, 20), date(2027, 5, 6))
    assert not decision_overdue(TripStatus.APPROVED, date(2027, 5, 20), date(2027, 5, 19))


def test_closed_and_cancelled_requests_reopen_to_different_states():
    assert next_status(TripStatus.CLOSED, "reopen", "late invoice") == TripStatus.APPROVED
    assert next_status(TripStatus.CANCELLED, "reopen", "rescheduled") == TripStatus.DRAFT


class ApprovalMachine(RuleBasedStateMachine):
    """Random actions by random roles against a simple model: the rules never disagree with it."""

    @initialize(categories=st.lists(st.sampled_from(list(TravellerCategory)), min_size=1, max_size=4))
    def start(self, categories):
        self.chain = approval_chain(categories)
        self.status, self.awaiting = TripStatus.DRAFT, None
        self.approvals = 0

    @rule(action=st.sampled_from(list(TRANSITIONS)), roles=st.sampled_from(ROLES),
          reason=st.sampled_from([None, "", "because"]))
    def act(self, action, roles, reason):
        allowed = action in allowed_actions(self.status)
        try:
            if action in DECIDING_ACTIONS:
                target, self.awaiting = decide(self.status, action, self.chain, self.awaiting, roles, reason)
                if action == "approve":
                    self.approvals += 1
            else:
                target = next_status(self.status, action, reason)
                self.awaiting = self.chain[0] if target == TripStatus.SUBMITTED else None
                self.approvals = 0 if action == "submit" else self.approvals
        except IllegalTransition as error:
            assert not allowed
            assert error.allowed == allowed_actions(self.status)
            return
        except MissingReason:
            assert allowed and action in REASON_REQUIRED and not reason
            return
        except NotTheApprover as error:
            assert allowed and "admin" not in roles and error.step.value not in roles
            return
        assert allowed
        if action == "send-back":
            self.approvals = 0
        self.status = target

    @precondition(lambda self: self.status == TripStatus.SUBMITTED)
    @rule()
    def approving_through_the_chain_always_ends_approved(self):
        status, awaiting = self.status, self.awaiting
        for _ in range(len(self.chain)):
            status, awaiting = decide(status, "approve", self.chain, awaiting, frozenset({"admin"}), None)
            if awaiting is None:
                break
        assert status == TripStatus.APPROVED

    @invariant()
    def a_step_is_awaited_exactly_while_submitted(self):
        assert (self.awaiting is not None) == (self.status == TripStatus.SUBMITTED)

    @invariant()
    def an_approved_request_passed_every_step_of_its_chain(self):
        if self.status == TripStatus.APPROVED:
            assert self.approvals >= len(self.chain)

    @invariant()
    def the_chain_is_in_order_and_names_only_the_steps_its_travellers_need(self):
        assert self.chain in ([ApprovalStep.DEPARTMENT_HEAD], [ApprovalStep.MAYOR_OFFICE],
                              [ApprovalStep.DEPARTMENT_HEAD, ApprovalStep.MAYOR_OFFICE])

    @invariant()
    def every_state_allows_something_except_none(self):
        assert allowed_actions(self.status), self.status


TestApprovalStateMachine = ApprovalMachine.TestCase
TestApprovalStateMachine.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
