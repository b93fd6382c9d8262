"""The audience use cases on an in-memory unit of work: subscriptions, watches, role subscriptions, the inbox
and preferences; what they record and what they refuse."""

from datetime import UTC, datetime

import pytest

from services.notifications.app import SPEC
from services.notifications.operations.inbox import mark_read
from services.notifications.operations.preferences import change_preferences, own_preferences
from services.notifications.operations.role_subscriptions import subscribe_role, unsubscribe_role
from services.notifications.operations.subscriptions import subscribe, unsubscribe
from services.notifications.operations.watches import unwatch, watch
from services.notifications.store.models import Notification, Recipient
from shared.kit.refusals import Conflict, Invalid, NotFound, StaleVersion
from shared.testing import RecordingUnitOfWork

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
PREFERENCES = {"language": "bg", "time_zone": "Europe/Sofia", "email": "olga@city.example",
               "channels": {"in-app": "immediate", "email": "digest"},
               "quiet_hours": {"start": "22:00", "end": "07:00"}, "digest_at": "08:30"}


@pytest.fixture
def uow():
    return RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}), clock=lambda: NOW)


def test_subscribing_keeps_the_subscriber_and_their_roles_and_is_audited(uow):
    subscription = subscribe(uow, "chancery.visits.#", None, {"pattern": "chancery.visits.#"})
    assert (subscription.subscriber, subscription.subscriber_roles, subscription.language) == ("olga", "protocol", "")
    assert uow.session.get(Recipient, "olga").roles == "protocol"
    assert uow.audits == [("subscription.create", "subscription", subscription.id, {"pattern": "chancery.visits.#"})]
    assert uow.events == []


def test_a_pattern_outside_the_subscribers_departments_is_refused_naming_the_pattern(uow):
    with pytest.raises(Invalid) as refused:
        subscribe(uow, "chancery.contracts.#", None, {})
    assert refused.value.field == "pattern" and uow.audits == []


def test_subscribing_twice_to_the_same_pattern_is_a_duplicate(uow):
    subscribe(uow, "chancery.visits.#", "en", {})
    with pytest.raises(Conflict) as refused:
        subscribe(uow, "chancery.visits.#", "ru", {})
    assert refused.value.slug == "duplicate" and "already subscribe" in refused.value.detail


def test_only_the_subscriber_unsubscribes(uow):
    subscription = subscribe(uow, "chancery.visits.#", None, {})
    uow.actor = "ivan"
    with pytest.raises(NotFound):
        unsubscribe(uow, subscription.id)
    uow.actor = "olga"
    unsubscribe(uow, subscription.id)
    assert uow.audits[-1] == ("subscription.delete", "subscription", subscription.id, {"pattern": "chancery.visits.#"})


def test_watching_a_record_outside_ones_departments_is_refused_naming_the_record_type(uow):
    with pytest.raises(Invalid) as refused:
        watch(uow, "contract", "c-1", {})
    assert refused.value.field == "record_type"


def test_a_watch_is_removed_with_an_audit_record_naming_the_record(uow):
    row = watch(uow, "visit", "v-1", {"record_type": "visit", "record_id": "v-1"})
    unwatch(uow, row.id)
    assert uow.audits == [("watch.create", "watch", row.id, {"record_type": "visit", "record_id": "v-1"}),
                          ("watch.delete", "watch", row.id, {"record_type": "visit", "record_id": "v-1"})]


def test_watching_the_same_record_twice_is_a_duplicate(uow):
    watch(uow, "visit", "v-1", {})
    with pytest.raises(Conflict) as refused:
        watch(uow, "visit", "v-1", {})
    assert (refused.value.slug, str(refused.value)) == ("duplicate", "You already watch visit v-1")


def test_a_role_hears_only_its_own_departments_events(uow):
    with pytest.raises(Invalid) as refused:
        subscribe_role(uow, "travel", "chancery.visits.#", "all", {})
    assert refused.value.field == "pattern"
    row = subscribe_role(uow, "protocol", "chancery.visits.#", "all", {"role": "protocol"})
    unsubscribe_role(uow, row.id)
    assert [audit[0] for audit in uow.audits] == ["role-subscription.create", "role-subscription.delete"]
    with pytest.raises(NotFound):
        unsubscribe_role(uow, "no-such-role-subscription")


def test_a_notification_is_read_once_at_the_unit_of_works_time_and_only_by_its_recipient(uow):
    notification = Notification(event_id="e-1", event_type="chancery.visits.visit.updated.v1", subject="v-1",
                                recipient="olga", channel="in-app", title="Updated", data={})
    uow.session.add(notification)
    uow.session.flush()
    assert mark_read(uow, notification.id).read_at == NOW
    mark_read(uow, notification.id)
    assert uow.audits == [("notification.read", "notification", notification.id, {"read_at": NOW.isoformat()})]
    uow.actor = "ivan"
    with pytest.raises(NotFound):
        mark_read(uow, notification.id)


def test_preferences_start_with_the_defaults_and_change_over_the_version_read(uow):
    assert own_preferences(uow).version == 1
    changed = change_preferences(uow, PREFERENCES, frozenset({1}))
    assert (changed.version, changed.quiet_start, changed.quiet_end, changed.channels["email"]) == (
        2, "22:00", "07:00", "digest")
    [(action, _, name, changes)] = uow.audits
    assert (action, name, changes["email_set"]) == ("preferences.update", "olga", True)
    assert "email" not in changes


def test_preferences_changed_over_an_older_version_are_refused(uow):
    change_preferences(uow, PREFERENCES, None)
    with pytest.raises(StaleVersion) as refused:
        change_preferences(uow, {**PREFERENCES, "quiet_hours": None}, frozenset({1}))
    assert refused.value.current == 2 and uow.session.get(Recipient, "olga").quiet_start == "22:00"
