"""The visit lifecycle: which actions each state allows, where they lead, and what they need."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.visits.domain.visit import OPEN_STATES, VISIT_LIFECYCLE, InvalidDates, VisitStatus, check_dates
from shared.kit.lifecycle import IllegalTransition, MissingReason

TRANSITIONS = VISIT_LIFECYCLE.transitions
EVENT_ACTION = VISIT_LIFECYCLE.event_action
allowed_actions = VISIT_LIFECYCLE.allowed_actions
next_status = VISIT_LIFECYCLE.next_status

S = VisitStatus
TERMINAL = (S.COMPLETED, S.CANCELLED)
# The lifecycle of docs/decisions/0003, written out by hand so that the table in the code is checked
# against the decision rather than against itself.
EXPECTED = {
    (S.DRAFT, "propose"): S.PROPOSED,
    (S.DRAFT, "confirm"): S.CONFIRMED,
    (S.PROPOSED, "invite"): S.INVITED,
    (S.PROPOSED, "confirm"): S.CONFIRMED,
    (S.INVITED, "confirm"): S.CONFIRMED,
    (S.CONFIRMED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "complete"): S.COMPLETED,
    **{(state, "cancel"): S.CANCELLED for state in OPEN_STATES},
}
ACTIONS = list(TRANSITIONS)


def test_the_transition_table_is_exactly_the_lifecycle_of_the_decision_record():
    table = {(state, action): next_status(state, action, "a reason")
             for state in S for action in ACTIONS if action in allowed_actions(state)}
    assert table == EXPECTED


@pytest.mark.parametrize(("state", "action", "target"),
                         [(state, action, target) for (state, action), target in EXPECTED.items()])
def test_an_allowed_action_leads_to_its_state(state, action, target):
    assert next_status(state, action, "the delegation postponed") == target


@pytest.mark.parametrize(("state", "action"),
                         [(state, action) for state in S for action in ACTIONS if (state, action) not in EXPECTED])
def test_an_action_not_allowed_in_a_state_is_refused_naming_the_allowed_ones(state, action):
    with pytest.raises(IllegalTransition) as refused:
        next_status(state, action, "a reason")
    assert refused.value.action == action
    assert refused.value.status == state
    assert refused.value.allowed == allowed_actions(state)
    assert state.value in str(refused.value)


def test_a_visit_the_foreign_side_asked_for_can_be_confirmed_straight_from_draft():
    assert next_status(S.DRAFT, "confirm", None) == S.CONFIRMED


@pytest.mark.parametrize("state", TERMINAL)
def test_completed_and_cancelled_visits_allow_no_action(state):
    assert allowed_actions(state) == []


@pytest.mark.parametrize("state", OPEN_STATES)
def test_every_open_visit_can_be_cancelled(state):
    assert "cancel" in allowed_actions(state)


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_cancelling_without_a_reason_is_refused(reason):
    with pytest.raises(MissingReason):
        next_status(S.CONFIRMED, "cancel", reason)


def test_an_illegal_cancel_is_reported_as_illegal_before_the_missing_reason():
    with pytest.raises(IllegalTransition):
        next_status(S.CANCELLED, "cancel", None)


@pytest.mark.parametrize("action", [action for action in ACTIONS if action != "cancel"])
def test_actions_other_than_cancel_need_no_reason(action):
    state = next(state for (state, name) in EXPECTED if name == action)
    assert next_status(state, action, None) == EXPECTED[(state, action)]


def test_every_action_has_a_past_tense_for_its_event():
    assert set(EVENT_ACTION) == set(TRANSITIONS)
    assert all(word.endswith("ed") for word in EVENT_ACTION.values())


def test_a_visit_may_end_on_the_day_it_starts():
    check_dates(date(2027, 3, 10), date(2027, 3, 10))


def test_a_visit_cannot_end_before_it_starts():
    with pytest.raises(InvalidDates):
        check_dates(date(2027, 3, 10), date(2027, 3, 9))


reasons = st.one_of(st.none(), st.just(""), st.just("  "), st.text(max_size=20))


@given(state=st.sampled_from(list(S)), action=st.sampled_from(ACTIONS), reason=reasons)
def test_any_action_either_follows_the_lifecycle_or_is_refused(state, action, reason):
    try:
        target = next_status(state, action, reason)
    except IllegalTransition:
        assert (state, action) not in EXPECTED
    except MissingReason:
        assert action == "cancel" and not (reason or "").strip()
    else:
        assert EXPECTED[(state, action)] == target


class VisitLifecycle(RuleBasedStateMachine):
    """Any sequence of actions, legal or not, keeps a visit within its lifecycle."""

    def __init__(self):
        super().__init__()
        self.status = S.DRAFT
        self.history = [S.DRAFT]

    @rule(action=st.sampled_from(ACTIONS), reason=reasons)
    def act(self, action, reason):
        before = self.status
        try:
            self.status = next_status(before, action, reason)
        except IllegalTransition as refused:
            assert action not in allowed_actions(before)
            assert refused.allowed == allowed_actions(before)
        except MissingReason:
            assert action == "cancel" and not (reason or "").strip()
        else:
            assert (before, action) in EXPECTED, f"{action} changed a {before} visit"
            assert before not in TERMINAL
        if before in TERMINAL:
            assert self.status == before
        self.history.append(self.status)

    @invariant()
    def the_visit_only_moves_forward_along_allowed_transitions(self):
        for before, after in zip(self.history, self.history[1:], strict=False):
            assert before == after or any(EXPECTED[key] == after for key in EXPECTED if key[0] == before)

    @invariant()
    def a_cancelled_visit_was_open_just_before(self):
        if self.status == S.CANCELLED:
            first = self.history.index(S.CANCELLED)
            assert self.history[first - 1] in OPEN_STATES


VisitLifecycle.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
test_no_sequence_of_actions_reaches_an_illegal_state = VisitLifecycle.TestCase
