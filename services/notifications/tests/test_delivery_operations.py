"""The dispatcher's transactions on an in-memory unit of work: claiming an attempt, recording its outcome, and
recovering one whose worker died (decision 0052)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.app import SPEC
from services.notifications.channels import ChannelError
from services.notifications.operations.deliveries import claim_delivery, finish_attempt, recover_abandoned
from services.notifications.settings import load_notification_settings
from services.notifications.store.models import Delivery, DeliveryAttempt, Webhook
from shared.testing import RecordingUnitOfWork

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
SETTINGS = {"NOTIFICATIONS_RETRY_BASE_SECONDS": "10", "NOTIFICATIONS_MAX_ATTEMPTS": "2",
            "NOTIFICATIONS_WEBHOOK_DISABLE_AFTER": "1", "NOTIFICATIONS_SEND_LEASE_SECONDS": "60"}


@pytest.fixture
def uow():
    return RecordingUnitOfWork(SPEC, own_settings=load_notification_settings(SETTINGS), clock=lambda: NOW)


def planned(uow, channel="email", recipient="olga", target="olga@city.example"):
    delivery = Delivery(event_id="e-1", event_type="chancery.visits.visit.updated.v1", recipient=recipient,
                        channel=channel, target=target, title="Updated", body="", due_at=NOW)
    uow.session.add(delivery)
    uow.session.flush()
    return delivery


def attempts(uow, delivery):
    return [(attempt.number, attempt.outcome) for attempt in uow.session.query(DeliveryAttempt)
            .filter_by(delivery_id=delivery.id).order_by(DeliveryAttempt.number)]


def test_a_claimed_delivery_is_sending_under_a_lease_with_its_attempt_recorded_before_the_send(uow):
    delivery = planned(uow)
    outgoing, _ = claim_delivery(uow, delivery.id)
    uow.session.refresh(delivery)
    assert (outgoing.id, outgoing.target) == (delivery.id, "olga@city.example")
    assert (delivery.status, delivery.attempts) == ("sending", 1)
    assert delivery.due_at.replace(tzinfo=UTC) == NOW + timedelta(seconds=60)
    assert attempts(uow, delivery) == [(1, "sending")]
    assert claim_delivery(uow, delivery.id) is None  # no second dispatcher takes it


def test_a_failure_is_tried_again_after_the_backoff_then_given_up(uow):
    delivery = planned(uow)
    outgoing, attempt_id = claim_delivery(uow, delivery.id)
    finish_attempt(uow, outgoing, attempt_id, ChannelError("the receiver answered 503"))
    assert (delivery.status, delivery.due_at.replace(tzinfo=UTC)) == ("pending", NOW + timedelta(seconds=10))
    outgoing, attempt_id = claim_delivery(uow, delivery.id)
    finish_attempt(uow, outgoing, attempt_id, ChannelError("the receiver answered 503"))
    assert (delivery.status, delivery.last_error) == ("failed", "the receiver answered 503")
    assert attempts(uow, delivery) == [(1, "failed"), (2, "failed")]


def test_an_abandoned_email_is_never_sent_again_and_an_abandoned_webhook_is_due_again(uow):
    email = planned(uow)
    webhook = Webhook(owner="olga", owner_roles="protocol", url="https://8.8.8.8/h", pattern="chancery.visits.#",
                      secret="whsec_c2VjcmV0", enabled=True, consecutive_failures=0, version=1)
    uow.session.add(webhook)
    uow.session.flush()
    hook = planned(uow, channel="webhook", recipient=f"webhook:{webhook.id}", target=webhook.url)
    claim_delivery(uow, email.id)
    claim_delivery(uow, hook.id)
    uow.runtime.clock = lambda: NOW + timedelta(seconds=61)
    assert sorted(recover_abandoned(uow)) == ["email", "webhook"]
    assert (email.status, hook.status) == ("unknown", "pending")
    assert attempts(uow, email) == [(1, "unknown")]


def test_a_webhook_failing_too_often_is_disabled_and_its_later_deliveries_cancelled(uow):
    webhook = Webhook(owner="olga", owner_roles="protocol", url="https://8.8.8.8/h", pattern="chancery.visits.#",
                      secret="whsec_c2VjcmV0", enabled=True, consecutive_failures=0, version=1)
    uow.session.add(webhook)
    uow.session.flush()
    first = planned(uow, channel="webhook", recipient=f"webhook:{webhook.id}", target=webhook.url)
    outgoing, attempt_id = claim_delivery(uow, first.id)
    finish_attempt(uow, outgoing, attempt_id, ChannelError("the receiver answered 410", retryable=False))
    assert (webhook.enabled, uow.event_types()) == (False, ["chancery.notifications.webhook.disabled.v1"])
    second = Delivery(event_id="e-2", event_type="chancery.visits.visit.updated.v1", recipient=first.recipient,
                      channel="webhook", target=webhook.url, due_at=NOW)
    uow.session.add(second)
    uow.session.flush()
    assert claim_delivery(uow, second.id) is None
    assert (second.status, second.last_error) == ("cancelled", "webhook disabled")
