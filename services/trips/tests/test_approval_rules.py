"""The approval state machine and chains as plain rules, including a property-based walk."""

from datetime import date

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.trips.domain.trip import (
    DECIDING_ACTIONS,
    TRIP_LIFECYCLE,
    ApprovalStep,
    Approver,
    NoTravellers,
    NotTheApprover,
    Step,
    TravellerCategory,
    TripStatus,
    approval_chain,
    decide,
    decision_due_on,
    decision_overdue,
    next_status,
)
from shared.kit.lifecycle import IllegalTransition, MissingReason

DEPARTMENTS = ["International Relations", "Culture"]
APPROVERS = [Approver(frozenset({"department-head"}), department) for department in (*DEPARTMENTS, None)] + [
    Approver(frozenset({role}), None) for role in ("mayor-office", "travel", "admin")]
ADMIN = Approver(frozenset({"admin"}), None)


def test_a_request_without_travellers_has_no_approval_chain():
    with pytest.raises(NoTravellers):
        approval_chain([])


def test_staff_of_two_departments_need_each_head_in_turn_then_the_mayors_office():
    chain = approval_chain([(TravellerCategory.STAFF, "Culture"), (TravellerCategory.MAYOR, "Office of the Mayor"),
                            (TravellerCategory.STAFF, "International Relations"),
                            (TravellerCategory.STAFF, " culture ")])
    assert chain == [Step(ApprovalStep.DEPARTMENT_HEAD, "Culture"),
                     Step(ApprovalStep.DEPARTMENT_HEAD, "International Relations"), Step(ApprovalStep.MAYOR_OFFICE)]


def test_a_department_head_decides_only_their_own_departments_staff_step():
    [step] = approval_chain([(TravellerCategory.STAFF, "International Relations")])
    own = Approver(frozenset({"department-head"}), "international  relations")
    other = Approver(frozenset({"department-head"}), "Culture")
    assert decide(TripStatus.SUBMITTED, "approve", [step], step, own, None) == (TripStatus.APPROVED, None)
    for refused in (other, Approver(frozenset({"department-head"}), None)):
        with pytest.raises(NotTheApprover, match="head of International Relations"):
            decide(TripStatus.SUBMITTED, "approve", [step], step, refused, None)


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

    @initialize(travellers=st.lists(st.tuples(st.sampled_from(list(TravellerCategory)), st.sampled_from(DEPARTMENTS)),
                                    min_size=1, max_size=4))
    def start(self, travellers):
        self.travellers = travellers
        self.chain = approval_chain(travellers)
        self.status, self.awaiting = TripStatus.DRAFT, None
        self.approvals = 0

    @rule(action=st.sampled_from(list(TRIP_LIFECYCLE.transitions)), approver=st.sampled_from(APPROVERS),
          reason=st.sampled_from([None, "", "because"]))
    def act(self, action, approver, reason):
        allowed = action in TRIP_LIFECYCLE.allowed_actions(self.status)
        try:
            if action in DECIDING_ACTIONS:
                target, self.awaiting = decide(self.status, action, self.chain, self.awaiting, approver,
                                                    reason)
                if action == "approve":
                    self.approvals += 1
            else:
                target = next_status(self.status, action, reason)
                self.awaiting = self.chain[0] if target == TripStatus.SUBMITTED else None
                self.approvals = 0 if action == "submit" else self.approvals
        except IllegalTransition as error:
            assert not allowed
            assert error.allowed == TRIP_LIFECYCLE.allowed_actions(self.status)
            return
        except MissingReason:
            assert allowed and action in TRIP_LIFECYCLE.reason_required and not reason
            return
        except NotTheApprover as error:
            assert allowed and "admin" not in approver.roles
            assert error.step.role.value not in approver.roles or error.step.department != approver.department
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
            status, awaiting = decide(status, "approve", self.chain, awaiting, ADMIN, None)
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
        staff_departments = list(dict.fromkeys(d for c, d in self.travellers if c == TravellerCategory.STAFF))
        officials = {c for c, _ in self.travellers} - {TravellerCategory.STAFF}
        assert self.chain == [Step(ApprovalStep.DEPARTMENT_HEAD, d) for d in staff_departments] + (
            [Step(ApprovalStep.MAYOR_OFFICE)] if officials else [])

    @invariant()
    def every_state_allows_something_except_none(self):
        assert TRIP_LIFECYCLE.allowed_actions(self.status), self.status


TestApprovalStateMachine = ApprovalMachine.TestCase
TestApprovalStateMachine.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
