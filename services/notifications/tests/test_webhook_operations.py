"""The webhook and integration use cases on an in-memory unit of work."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.notifications.app import SPEC
from services.notifications.operations.integrations import change_patterns, integrate, remove_integration
from services.notifications.operations.webhooks import (
    disable_webhook,
    enable_webhook,
    redeliver,
    register_webhook,
    remove_webhook,
    rotate_secret,
    send_test_event,
    signing_secrets,
)
from services.notifications.settings import load_notification_settings
from services.notifications.store.models import Delivery
from shared.kit.refusals import Conflict, Invalid, NotFound, StaleVersion
from shared.pii import decrypt
from shared.testing import RecordingUnitOfWork

PUBLIC = "https://8.8.8.8/hooks/chancery"


class FrozenClock:
    def __init__(self):
        self.at = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def unit_of_work(actor="olga", roles="protocol", **settings):
    return RecordingUnitOfWork(SPEC, actor=actor, roles=frozenset(roles.split(",")),
                               own_settings=load_notification_settings(settings))


@pytest.fixture
def uow():
    return unit_of_work()


def test_a_webhook_is_registered_with_a_secret_and_audited_with_its_host_only(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    assert webhook.secret.startswith("whsec_") and webhook.owner_roles == "protocol"
    assert uow.audits == [("webhook.create", "webhook", webhook.id, {"pattern": "chancery.visits.#",
                                                                     "host": "8.8.8.8"})]


@pytest.mark.parametrize(("url", "pattern", "field"), [
    ("http://127.0.0.1/hooks", "chancery.visits.#", "url"),
    ("ftp://8.8.8.8/hooks", "chancery.visits.#", "url"),
    (PUBLIC, "chancery.trips.#", "pattern"),
])
def test_a_webhook_to_a_private_address_or_outside_ones_departments_is_refused_naming_the_field(
        uow, url, pattern, field):
    with pytest.raises(Invalid) as refused:
        register_webhook(uow, url, pattern)
    assert refused.value.field == field and uow.audits == []


def test_a_private_network_the_settings_allow_is_accepted():
    uow = unit_of_work(NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS="10.0.0.0/8")
    assert register_webhook(uow, "http://10.1.2.3/hooks", "chancery.visits.#").url == "http://10.1.2.3/hooks"


def test_disabling_a_webhook_records_the_event_its_owner_hears_and_an_audit_record(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    disable_webhook(uow, webhook, "5 failed attempts in a row; last: the receiver answered 503")
    [(event_type, subject, data)] = uow.events
    assert (event_type, subject) == ("chancery.notifications.webhook.disabled.v1", webhook.id)
    assert (data["enabled"], data["version"], data["owner"], data["host"]) == (False, 2, "olga", "8.8.8.8")
    SPEC.catalog.validate(event_type, data)
    assert uow.audits[-1] == ("webhook.disable", "webhook", webhook.id,
                              {"reason": "5 failed attempts in a row; last: the receiver answered 503"})


def test_enabling_a_disabled_webhook_forgets_its_failures_and_an_enabled_one_is_left_alone(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    enable_webhook(uow, webhook.id, frozenset({1}))
    assert webhook.version == 1 and len(uow.audits) == 1
    webhook.consecutive_failures = 5
    disable_webhook(uow, webhook, "failing")
    with pytest.raises(StaleVersion):
        enable_webhook(uow, webhook.id, frozenset({1}))
    enable_webhook(uow, webhook.id, frozenset({2}))
    assert (webhook.enabled, webhook.consecutive_failures, webhook.disabled_reason, webhook.version) == (
        True, 0, None, 3)


def test_someone_elses_webhook_is_not_found_except_by_notification_admins(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    uow.actor = "ivan"
    with pytest.raises(NotFound):
        remove_webhook(uow, webhook.id)
    uow.actor, uow.roles = "nina", frozenset({"notifications-admin"})
    remove_webhook(uow, webhook.id)
    assert uow.audits[-1] == ("webhook.delete", "webhook", webhook.id, {"pattern": "chancery.visits.#"})


def test_an_integration_keeps_its_patterns_sorted_once_and_a_second_one_for_the_system_is_a_duplicate(uow):
    integration = integrate(uow, "city-docs", ["chancery.visits.#", "chancery.trips.#", "chancery.visits.#"], {})
    assert integration.patterns == ["chancery.trips.#", "chancery.visits.#"]
    with pytest.raises(Conflict) as refused:
        integrate(uow, "city-docs", ["chancery.visits.#"], {})
    assert refused.value.slug == "duplicate"


def test_changing_an_integrations_patterns_needs_its_version_and_a_removed_one_is_not_found(uow):
    integration = integrate(uow, "city-docs", ["chancery.visits.#"], {})
    with pytest.raises(StaleVersion):
        change_patterns(uow, integration.id, ["chancery.trips.#"], {}, frozenset({2}))
    assert change_patterns(uow, integration.id, ["chancery.trips.#"], {}, frozenset({1})).version == 2
    remove_integration(uow, integration.id)
    assert integration.removed is True
    with pytest.raises(NotFound):
        change_patterns(uow, integration.id, ["chancery.visits.#"], {}, None)
    assert [audit[0] for audit in uow.audits] == ["integration.create", "integration.patterns", "integration.delete"]


def test_a_webhook_secret_is_stored_encrypted_never_as_the_secret_itself(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    uow.session.commit()
    stored = uow.session.execute(text("SELECT secret FROM webhooks WHERE id = :id"), {"id": webhook.id}).scalar_one()
    assert webhook.secret not in stored and webhook.secret.removeprefix("whsec_") not in stored
    assert decrypt(stored) == webhook.secret


def test_a_rotated_secret_signs_with_the_previous_one_until_the_overlap_ends():
    clock = FrozenClock()
    uow = RecordingUnitOfWork(SPEC, actor="olga", roles=frozenset({"protocol"}), clock=clock,
                              own_settings=load_notification_settings(
                                  {"NOTIFICATIONS_WEBHOOK_SECRET_OVERLAP_SECONDS": "3600"}))
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    old = webhook.secret
    with pytest.raises(StaleVersion):
        rotate_secret(uow, webhook.id, frozenset({2}))
    rotate_secret(uow, webhook.id, frozenset({1}))
    assert webhook.secret != old and webhook.version == 2
    assert signing_secrets(webhook, clock()) == (webhook.secret, old)
    clock.at += timedelta(seconds=3599)
    assert signing_secrets(webhook, clock()) == (webhook.secret, old)
    clock.at += timedelta(seconds=1)
    assert signing_secrets(webhook, clock()) == (webhook.secret,)
    assert uow.audits[-1] == ("webhook.rotate-secret", "webhook", webhook.id,
                              {"previous_secret_expires_at": "2027-01-15T10:00:00+00:00"})


def test_a_test_event_is_a_delivery_to_the_webhook_marked_as_a_test_and_audited(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    delivery = send_test_event(uow, webhook.id)
    assert (delivery.channel, delivery.recipient, delivery.target, delivery.status) == (
        "webhook", f"webhook:{webhook.id}", PUBLIC, "pending")
    assert (delivery.payload["type"], delivery.payload["data"]["test"]) == (
        "chancery.notifications.webhook.test.v1", True)
    assert uow.events == [] and uow.audits[-1] == ("webhook.test", "webhook", webhook.id,
                                                   {"delivery_id": delivery.id})
    disable_webhook(uow, webhook, "failing")
    with pytest.raises(Conflict) as refused:
        send_test_event(uow, webhook.id)
    assert refused.value.slug == "webhook-disabled"


def test_a_finished_webhook_delivery_is_due_again_on_request_but_not_one_still_being_sent(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    delivery = send_test_event(uow, webhook.id)
    with pytest.raises(Conflict) as refused:
        redeliver(uow, delivery.id)
    assert refused.value.slug == "delivery-in-progress"
    delivery.status, delivery.last_error, delivery.attempts = "failed", "the receiver answered 503", 8
    redeliver(uow, delivery.id)
    assert (delivery.status, delivery.last_error, delivery.attempts) == ("pending", None, 8)
    assert uow.audits[-1] == ("delivery.redeliver", "delivery", delivery.id, {"webhook_id": webhook.id})


def test_only_a_webhook_delivery_is_sent_again_and_only_by_its_owner_or_an_operator(uow):
    webhook = register_webhook(uow, PUBLIC, "chancery.visits.#")
    delivery = send_test_event(uow, webhook.id)
    delivery.status = "sent"
    uow.actor = "ivan"
    with pytest.raises(NotFound):
        redeliver(uow, delivery.id)
    uow.roles = frozenset({"operator"})
    assert redeliver(uow, delivery.id).status == "pending"
    email = Delivery(event_id="e-1", event_type="chancery.visits.visit.updated.v1", recipient="olga",
                     channel="email", target="olga@city.example", status="sent")
    uow.session.add(email)
    uow.session.flush()
    with pytest.raises(Conflict) as refused:
        redeliver(uow, email.id)
    assert refused.value.slug == "not-a-webhook-delivery"
