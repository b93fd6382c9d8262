"""The invitation lifecycle in plain Python: no sequence of actions leaves it."""

from datetime import date

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.visits.domain.invitation import (
    INVITATION_LIFECYCLE,
    OPEN_STATES,
    IllegalInvitationTransition,
    InvitationInvalid,
    InvitationStatus,
    attending_official,
    is_overdue,
    next_status,
)

TRANSITIONS = INVITATION_LIFECYCLE.transitions
allowed_actions = INVITATION_LIFECYCLE.allowed_actions

S = InvitationStatus
ANSWERED = (S.ACCEPTED, S.DECLINED)


def test_an_answered_invitation_allows_nothing():
    assert allowed_actions(S.ACCEPTED) == allowed_actions(S.DECLINED) == []


def test_who_attends_is_the_official_named_else_the_official_assigned():
    assert attending_official("Deputy Mayor", "Mayor", "official") == "Deputy Mayor"
    assert attending_official(None, "Mayor", "official") == "Mayor"
    with pytest.raises(InvitationInvalid):
        attending_official(None, "Department of Culture", "department")


def test_an_invitation_is_overdue_only_while_open_and_after_its_deadline():
    deadline = date(2027, 4, 20)
    assert not is_overdue(S.ASSIGNED, deadline, date(2027, 4, 20))
    assert is_overdue(S.ASSIGNED, deadline, date(2027, 4, 21))
    assert not is_overdue(S.ACCEPTED, deadline, date(2027, 4, 21))
    assert not is_overdue(S.RECEIVED, None, date(2027, 4, 21))


class InvitationLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.status = S.RECEIVED
        self.history = [S.RECEIVED]

    @rule(action=st.sampled_from(list(TRANSITIONS)))
    def act(self, action):
        before = self.status
        try:
            self.status = next_status(before, action)
        except IllegalInvitationTransition as refused:
            assert refused.allowed == allowed_actions(before) and action not in refused.allowed
        else:
            assert before in OPEN_STATES
        self.history.append(self.status)

    @invariant()
    def an_answer_is_final_and_follows_a_look_at_the_invitation(self):
        if self.status in ANSWERED:
            first = next(i for i, state in enumerate(self.history) if state in ANSWERED)
            assert set(self.history[first:]) == {self.status}
            assert S.RECEIVED not in self.history[first - 1:first]


InvitationLifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=20, deadline=None)
test_no_sequence_of_actions_answers_an_invitation_twice_or_unread = InvitationLifecycle.TestCase
