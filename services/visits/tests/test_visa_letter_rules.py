"""The visa letter lifecycle and retention in plain Python."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.visits.domain.visa_letters import VISA_LETTER_LIFECYCLE, LetterStatus, purge_due, registry_number
from shared.kit.lifecycle import IllegalTransition as IllegalLetterTransition

TRANSITIONS = VISA_LETTER_LIFECYCLE.transitions
allowed_actions = VISA_LETTER_LIFECYCLE.allowed_actions
next_status = VISA_LETTER_LIFECYCLE.next_status

S = LetterStatus


def test_registry_numbers_are_per_year_and_zero_padded():
    assert registry_number(2027, 17) == "VL-2027-00017"


@given(ended=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), days=st.integers(0, 400),
       offset=st.integers(-5, 5))
def test_personal_data_is_purged_exactly_after_the_retention_days(ended, days, offset):
    today = date.fromordinal(ended.toordinal() + days + offset)
    assert purge_due(ended, today, days) == (offset > 0)


class LetterLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.status = S.DRAFT
        self.history = [S.DRAFT]

    @rule(action=st.sampled_from(list(TRANSITIONS)))
    def act(self, action):
        try:
            self.status = next_status(self.status, action)
        except IllegalLetterTransition as refused:
            assert action not in refused.allowed and refused.allowed == allowed_actions(self.status)
        self.history.append(self.status)

    @invariant()
    def a_letter_is_issued_only_after_approval_and_stays_issued(self):
        if S.ISSUED in self.history:
            first = self.history.index(S.ISSUED)
            assert self.history[first - 1] in (S.APPROVED, S.ISSUED)
            assert set(self.history[first:]) == {S.ISSUED}
        if S.APPROVED in self.history:
            first = self.history.index(S.APPROVED)
            assert self.history[first - 1] in (S.IN_REVIEW, S.APPROVED)


LetterLifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=20, deadline=None)
test_no_sequence_of_actions_issues_a_letter_nobody_approved = LetterLifecycle.TestCase
