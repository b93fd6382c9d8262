"""The dispatcher with channels that record or fail: attempts logged before the call, retries with
exponential backoff, giving up, webhooks disabled after repeated failures with the owner told, and
the recovery of an attempt whose worker died mid-send. Frozen clock throughout."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook as StandardWebhook

from services.notifications.channels import ChannelError, Outgoing
from services.notifications.channels.dispatcher import Dispatcher
from services.notifications.channels.webhook import new_secret, signature
from services.notifications.domain.retries import next_attempt_at
from services.notifications.operations.fan_out import fan_out
from services.notifications.settings import load_notification_settings
from services.notifications.store.models import Delivery, DeliveryAttempt, Notification, Webhook
from shared.uow import worker_unit_of_work

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
UPDATED = "chancery.visits.visit.updated.v1"


class Recording:
    """A channel that records what it was asked to send; it fails while `failures` is above zero."""

    def __init__(self, failures=0, retryable=True, observe=None):
        self.sent, self.failures, self.retryable, self.observe = [], failures, retryable, observe

    def send(self, outgoing: Outgoing) -> None:
        if self.observe:
            self.observe(outgoing)
        if self.failures:
            self.failures -= 1
            raise ChannelError("the receiver answered 503", retryable=self.retryable)
        self.sent.append(outgoing)


@pytest.fixture
def notifications(service_app):
    return service_app("notifications")


def runtime(notifications):
    return notifications.app.extensions["chancery"]


def dispatcher(notifications, **channels) -> Dispatcher:
    settings = load_notification_settings({"NOTIFICATIONS_RETRY_BASE_SECONDS": "10", "NOTIFICATIONS_MAX_ATTEMPTS": "4",
                                           "NOTIFICATIONS_WEBHOOK_DISABLE_AFTER": "3",
                                           "NOTIFICATIONS_SEND_LEASE_SECONDS": "60"})
    runtime(notifications).own_settings, runtime(notifications).clock = settings, lambda: NOW
    return Dispatcher(runtime(notifications), channels)


def tick_at(dispatch: Dispatcher, moment: datetime) -> int:
    """Run the dispatcher once with the clock frozen at `moment`."""
    dispatch.service.clock = lambda: moment
    return dispatch.tick()


def deliver(notifications, event_type=UPDATED, now=NOW):
    event = {"id": str(uuid.uuid4()), "type": event_type, "subject": str(uuid.uuid4()),
             "data": {"delegation_name": "Delegation of the City of Lyon"}}
    runtime(notifications).clock = lambda: now
    with runtime(notifications).database.session() as session:
        fan_out(worker_unit_of_work(runtime(notifications), session, event["id"]), event)
    return event


def with_email(notifications, sub="olga"):
    current = notifications.call("GET", "/api/v1/preferences", roles="protocol", sub=sub)
    notifications.call("PUT", "/api/v1/preferences", {"email": f"{sub}@city.example",
                                                      "channels": {"in-app": "immediate", "email": "immediate"}},
                       roles="protocol", sub=sub, headers={"If-Match": current.headers["ETag"]})
    notifications.call("POST", "/api/v1/subscriptions", {"pattern": "chancery.visits.#"}, roles="protocol", sub=sub)


def add_webhook(notifications, url="https://hooks.example/chancery", owner="olga"):
    with runtime(notifications).database.session() as session:
        row = Webhook(owner=owner, owner_roles="protocol", url=url, pattern="chancery.visits.#", secret=new_secret(),
                      enabled=True, consecutive_failures=0, version=1)
        session.add(row)
        session.flush()
        return row.id


def rows(notifications, model, **where):
    with runtime(notifications).database.read_session() as session:
        statement = select(model)
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        return session.execute(statement).scalars().all()


def test_an_email_is_sent_once_and_its_attempt_was_recorded_before_the_channel_was_called(notifications):
    with_email(notifications)
    event = deliver(notifications)
    seen_during_call = []
    email = Recording(observe=lambda outgoing: seen_during_call.extend(
        (attempt.outcome, delivery.status) for attempt in rows(notifications, DeliveryAttempt, channel="email")
        for delivery in rows(notifications, Delivery, id=outgoing.id)))
    assert tick_at(dispatcher(notifications, email=email), NOW) == 1
    assert seen_during_call == [("sending", "sending")]
    [sent] = email.sent
    assert (sent.target, sent.title) == ("olga@city.example", "Visit changed: Delegation of the City of Lyon")
    [delivery] = rows(notifications, Delivery, channel="email", event_id=event["id"])
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert [attempt.outcome for attempt in rows(notifications, DeliveryAttempt, channel="email")] == ["sent"]
    assert tick_at(dispatcher(notifications, email=email), NOW + timedelta(hours=1)) == 0
    assert len(email.sent) == 1


def test_a_failed_delivery_is_retried_with_exponential_backoff_then_given_up(notifications):
    with_email(notifications)
    deliver(notifications)
    email = Recording(failures=10)
    dispatch = dispatcher(notifications, email=email)
    moments = [NOW]
    for _ in range(4):
        assert tick_at(dispatch, moments[-1]) == 1
        [delivery] = rows(notifications, Delivery, channel="email")
        moments.append(delivery.due_at)
        assert tick_at(dispatch, moments[-1] - timedelta(seconds=1)) == 0
    assert [(b - a).total_seconds() for a, b in zip(moments, moments[1:-1], strict=False)] == [10, 20, 40]
    [delivery] = rows(notifications, Delivery, channel="email")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 4, "the receiver answered 503")
    assert [a.outcome for a in rows(notifications, DeliveryAttempt, channel="email")] == ["failed"] * 4


def test_a_refusal_that_no_retry_can_fix_fails_at_once(notifications):
    with_email(notifications)
    deliver(notifications)
    tick_at(dispatcher(notifications, email=Recording(failures=1, retryable=False)), NOW)
    [delivery] = rows(notifications, Delivery, channel="email")
    assert (delivery.status, delivery.attempts) == ("failed", 1)


def test_the_backoff_is_capped():
    assert next_attempt_at(30, NOW, 5, 3600) == NOW + timedelta(hours=1)


def test_an_email_whose_worker_died_mid_send_is_never_sent_again(notifications):
    with_email(notifications)
    deliver(notifications)
    dispatch = dispatcher(notifications, email=Recording())
    [delivery] = rows(notifications, Delivery, channel="email")
    assert dispatch._claim(delivery.id) is not None  # ... and the process is killed here
    assert tick_at(dispatch, NOW + timedelta(seconds=30)) == 0  # the lease still runs
    email = Recording()
    assert tick_at(dispatcher(notifications, email=email), NOW + timedelta(seconds=61)) == 0
    assert email.sent == []
    [delivery] = rows(notifications, Delivery, channel="email")
    assert delivery.status == "unknown"
    [attempt] = rows(notifications, DeliveryAttempt, channel="email")
    assert attempt.outcome == "unknown" and "stopped" in attempt.error


def test_a_webhook_whose_worker_died_mid_send_is_sent_again_with_the_same_webhook_id(notifications):
    add_webhook(notifications)
    deliver(notifications)
    dispatch = dispatcher(notifications, webhook=Recording())
    [delivery] = rows(notifications, Delivery, channel="webhook")
    first, _ = dispatch._claim(delivery.id)
    webhook = Recording()
    tick_at(dispatcher(notifications, webhook=webhook), NOW + timedelta(seconds=61))
    assert [outgoing.id for outgoing in webhook.sent] == [first.id]
    assert [a.outcome for a in rows(notifications, DeliveryAttempt, channel="webhook")] == ["unknown", "sent"]


def test_a_webhook_failing_repeatedly_is_disabled_and_its_owner_hears_it_in_their_inbox(notifications):
    webhook_id = add_webhook(notifications, owner="olga")
    dispatch = dispatcher(notifications, webhook=Recording(failures=100))
    for minute in range(3):
        deliver(notifications, now=NOW + timedelta(minutes=minute))
        tick_at(dispatch, NOW + timedelta(minutes=minute))
    [webhook] = rows(notifications, Webhook)
    assert (webhook.enabled, webhook.consecutive_failures) == (False, 3)
    assert "503" in webhook.disabled_reason
    # Pending deliveries to a disabled webhook are cancelled rather than sent.
    deliver(notifications, now=NOW + timedelta(minutes=5))
    tick_at(dispatch, NOW + timedelta(hours=2))
    assert {d.status for d in rows(notifications, Delivery, channel="webhook")} == {"cancelled"}

    outbox = runtime(notifications).spec.tables.outbox
    with runtime(notifications).database.read_session() as session:
        [emitted] = session.execute(select(outbox)).mappings().all()
    assert emitted["type"] == "chancery.notifications.webhook.disabled.v1"
    assert emitted["data"]["owner"] == "olga" and "url" not in emitted["data"]
    # The worker consumes its own event: the owner hears it even without a subscription of their own.
    event = {"id": emitted["event_id"], "type": emitted["type"], "subject": webhook_id, "data": emitted["data"]}
    with runtime(notifications).database.session() as session:
        fan_out(worker_unit_of_work(runtime(notifications), session, event["id"]), event)
    [notice] = rows(notifications, Notification, recipient="olga")
    assert notice.title == "Your webhook was disabled: hooks.example"


def test_the_owner_enables_the_webhook_again_and_deliveries_resume(notifications):
    add_webhook(notifications)
    dispatch = dispatcher(notifications, webhook=Recording(failures=3))
    for minute in range(3):
        deliver(notifications, now=NOW)
        tick_at(dispatch, NOW + timedelta(minutes=minute))
    [listed] = notifications.call("GET", "/api/v1/webhooks", roles="protocol", sub="olga").json["items"]
    assert listed["enabled"] is False
    enabled = notifications.call("POST", f"/api/v1/webhooks/{listed['id']}/enable", roles="protocol", sub="olga",
                                 headers={"If-Match": f'"{listed["version"]}"'})
    assert enabled.status_code == 200 and enabled.json["enabled"] is True
    assert notifications.call("POST", f"/api/v1/webhooks/{listed['id']}/enable", roles="protocol", sub="ivan",
                              headers={}).status_code == 404


def test_the_webhook_signature_verifies_with_the_standard_webhooks_library():
    secret = new_secret()
    body = json.dumps({"type": UPDATED}).encode()
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp),
               "webhook-signature": signature(secret, "msg_1", timestamp, body)}
    assert StandardWebhook(secret).verify(body, headers) == {"type": UPDATED}
    with pytest.raises(Exception, match="signature"):
        StandardWebhook(new_secret()).verify(body, headers)


def test_the_delivery_log_shows_every_attempt_to_operators(notifications):
    with_email(notifications)
    deliver(notifications)
    tick_at(dispatcher(notifications, email=Recording(failures=1)), NOW)
    tick_at(dispatcher(notifications, email=Recording()), NOW + timedelta(minutes=1))
    [email] = notifications.call("GET", "/api/v1/deliveries?channel=email", roles="operator").json["items"]
    detail = notifications.call("GET", f"/api/v1/deliveries/{email['id']}", roles="operator").json
    assert [(a["number"], a["outcome"], a["error"]) for a in detail["attempts_log"]] == [
        (1, "failed", "the receiver answered 503"), (2, "sent", None)]
    assert notifications.call("GET", "/api/v1/deliveries", roles="protocol").status_code == 403
