"""The plan's rules in plain Python: the item lifecycle, staying in step with a source, monitoring on a given day."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from services.outreach.domain.plan import (
    ITEM_LIFECYCLE,
    OPEN,
    TRANSITIONS,
    VERSION_LIFECYCLE,
    CurrentItem,
    ItemFacts,
    ItemStatus,
    MalformedSource,
    ProgressNotAllowed,
    SourcedActivity,
    VersionStatus,
    activities_of,
    check_progress,
    is_overdue,
    monitor,
    progress_after,
    reconcile,
)
from shared.kit.lifecycle import IllegalTransition, MissingReason

next_status, allowed_actions = ITEM_LIFECYCLE.next_status, ITEM_LIFECYCLE.allowed_actions
next_version_status = VERSION_LIFECYCLE.next_status

S = ItemStatus
EXPECTED = {
    (S.PLANNED, "start"): S.IN_PROGRESS, (S.PLANNED, "complete"): S.DONE, (S.PLANNED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "complete"): S.DONE, (S.IN_PROGRESS, "cancel"): S.CANCELLED,
    (S.DONE, "reopen"): S.IN_PROGRESS, (S.CANCELLED, "restore"): S.PLANNED,
}


def test_the_item_lifecycle_is_exactly_the_one_written_down():
    table = {(state, action): next_status(state, action, "why") for state in S for action in TRANSITIONS
             if action in allowed_actions(state)}
    assert table == EXPECTED


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in S for a in TRANSITIONS if (s, a) not in EXPECTED])
def test_an_action_not_allowed_is_refused_naming_the_allowed_ones(state, action):
    with pytest.raises(IllegalTransition) as refused:
        next_status(state, action, "why")
    assert refused.value.allowed == allowed_actions(state)


def test_cancelling_needs_a_reason():
    with pytest.raises(MissingReason):
        next_status(S.PLANNED, "cancel", "  ")


def test_progress_is_reported_only_while_in_progress():
    check_progress(S.IN_PROGRESS)
    for state in (S.PLANNED, S.DONE, S.CANCELLED):
        with pytest.raises(ProgressNotAllowed):
            check_progress(state)


class ItemLifecycle(RuleBasedStateMachine):
    """Any sequence of actions keeps the item's status and progress consistent."""

    def __init__(self):
        super().__init__()
        self.status, self.progress = S.PLANNED, 0

    @rule(action=st.sampled_from(list(TRANSITIONS)))
    def act(self, action):
        try:
            self.status = next_status(self.status, action, "a reason")
        except IllegalTransition as refused:
            assert action not in refused.allowed
            return
        self.progress = progress_after(self.status, self.progress)

    @rule(progress=st.integers(0, 100))
    def report(self, progress):
        try:
            check_progress(self.status)
        except ProgressNotAllowed:
            assert self.status != S.IN_PROGRESS
            return
        self.progress = progress

    @invariant()
    def progress_agrees_with_status(self):
        assert self.status != S.DONE or self.progress == 100
        assert self.status != S.PLANNED or self.progress == 0

    @invariant()
    def some_action_is_always_possible(self):
        assert allowed_actions(self.status)


TestItemLifecycle = ItemLifecycle.TestCase


def test_a_version_is_decided_once_and_rejecting_needs_a_reason():
    assert next_version_status(VersionStatus.SUBMITTED, "approve", None) == VersionStatus.APPROVED
    with pytest.raises(MissingReason):
        next_version_status(VersionStatus.SUBMITTED, "reject", "")
    with pytest.raises(IllegalTransition) as refused:
        next_version_status(VersionStatus.APPROVED, "reject", "late")
    assert refused.value.allowed == []


# --- sources ---

def activity(key, title="Youth exchange", due=date(2027, 9, 1), body="Department of Youth"):
    return SourcedActivity(key, title, due, body)


def held(key, status=S.PLANNED, withdrawn=False, **changes):
    return CurrentItem(key, activity(key, **changes).details, status, withdrawn)


def test_new_activities_are_created_and_changed_ones_updated():
    changes = reconcile([held("a"), held("b")], [activity("a"), activity("b", title="Art fair"), activity("c")],
                        source_ended=False)
    assert [a.source_item_id for a in changes.create] == ["c"]
    assert [a.source_item_id for a in changes.update] == ["b"]
    assert changes.withdraw == [] and changes.restore == []


def test_an_unchanged_source_changes_nothing():
    assert not reconcile([held("a")], [activity("a")], source_ended=False)


def test_dropped_activities_are_withdrawn_unless_done_or_cancelled():
    current = [held("open"), held("started", S.IN_PROGRESS), held("done", S.DONE), held("gone", S.CANCELLED)]
    assert reconcile(current, [], source_ended=False).withdraw == ["open", "started"]


def test_an_ended_source_withdraws_every_open_item_whatever_it_lists():
    changes = reconcile([held("a"), held("b", S.DONE)], [activity("a"), activity("b")], source_ended=True)
    assert changes.withdraw == ["a"] and not changes.create and not changes.update


def test_an_activity_listed_again_is_restored_only_if_the_source_had_withdrawn_it():
    current = [held("by-source", S.CANCELLED, withdrawn=True), held("by-staff", S.CANCELLED, withdrawn=False)]
    changes = reconcile(current, [activity("by-source"), activity("by-staff")], source_ended=False)
    assert [a.source_item_id for a in changes.restore] == ["by-source"]


def test_activities_are_read_from_the_source_record_and_a_malformed_one_is_named():
    data = {"partner_id": "p", "activities": [{"id": 7, "title": " Art fair ", "due_on": "2027-05-01",
                                               "responsible_body": "Culture"}]}
    [parsed] = activities_of(data, "activities", date(2027, 6, 1))
    assert (parsed.source_item_id, parsed.activity, parsed.partner_id, parsed.starts_on) == ("7", "Art fair", "p",
                                                                                             None)
    with pytest.raises(MalformedSource, match=r"activities\[0\]"):
        activities_of({"activities": [{"id": 1, "title": "x", "due_on": "soon", "responsible_body": "y"}]},
                      "activities", None)


# --- monitoring ---

TODAY = date(2027, 6, 15)


def facts(key, status, due, body="Culture", partner="sofia", progress=0):
    return ItemFacts(key, f"activity {key}", status, due, progress, body, partner)


def test_an_open_item_is_overdue_the_day_after_its_due_date_and_never_once_done():
    assert not is_overdue(S.PLANNED, TODAY, TODAY)
    assert is_overdue(S.IN_PROGRESS, date(2027, 6, 14), TODAY)
    assert not is_overdue(S.DONE, date(2020, 1, 1), TODAY)
    assert not is_overdue(S.CANCELLED, date(2020, 1, 1), TODAY)


def test_monitoring_counts_statuses_overdue_items_and_completion_by_body_and_partner():
    items = [facts("1", S.DONE, date(2027, 3, 1), progress=100),
             facts("2", S.IN_PROGRESS, date(2027, 6, 1), body="Youth", progress=40),
             facts("3", S.PLANNED, date(2027, 12, 1), body="Youth", partner=None),
             facts("4", S.CANCELLED, date(2027, 2, 1))]
    report = monitor(items, TODAY)
    assert report["by_status"] == {"planned": 1, "in_progress": 1, "done": 1, "cancelled": 1}
    assert (report["total"], report["done"], report["cancelled"], report["overdue"]) == (4, 1, 1, 1)
    assert report["completion"] == round(1 / 3, 4)
    assert report["average_progress"] == round(140 / 3, 1)
    assert report["overdue_items"] == [{"id": "2", "activity": "activity 2", "due_on": "2027-06-01",
                                        "days_overdue": 14, "responsible_body": "Youth"}]
    by_body = {row["responsible_body"]: (row["done"], row["completion"]) for row in report["by_responsible_body"]}
    assert by_body == {"Culture": (1, 1.0), "Youth": (0, 0.0)}
    by_partner = {row["partner_id"]: row["total"] for row in report["by_partner"]}
    assert by_partner == {None: 1, "sofia": 3}


def test_a_plan_with_only_cancelled_items_has_no_completion_rather_than_a_division_by_zero():
    assert monitor([facts("1", S.CANCELLED, TODAY)], TODAY)["completion"] is None


@given(st.lists(st.tuples(st.sampled_from(list(S)), st.dates(date(2027, 1, 1), date(2027, 12, 31))), max_size=30),
       st.dates(date(2027, 1, 1), date(2028, 1, 31)))
def test_overdue_items_are_exactly_the_open_ones_past_their_due_date(rows, today):
    items = [facts(str(n), status, due) for n, (status, due) in enumerate(rows)]
    report = monitor(items, today)
    assert {row["id"] for row in report["overdue_items"]} == {
        item.id for item in items if item.status in OPEN and item.due_on < today}
    assert sum(report["by_status"].values()) == report["total"] == len(items)
