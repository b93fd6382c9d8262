"""Daily digests: non-urgent e-mails gathered per person and sent once a day at their local digest time
(frozen clock); critical events never wait for it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.notifications.channels import Outgoing
from services.notifications.channels.dispatcher import Dispatcher
from services.notifications.operations.fan_out import fan_out
from services.notifications.store.models import Delivery, DeliveryAttempt
from shared.uow import worker_unit_of_work

EVENING = datetime(2027, 1, 15, 18, 0, tzinfo=UTC)  # 20:00 in Sofia
DIGEST_TIME = datetime(2027, 1, 16, 6, 30, tzinfo=UTC)  # 08:30 in Sofia


class Mailbox:
    def __init__(self):
        self.sent: list[Outgoing] = []

    def send(self, outgoing: Outgoing) -> None:
        self.sent.append(outgoing)


@pytest.fixture
def notifications(service_app):
    service = service_app("notifications")
    current = service.call("GET", "/api/v1/preferences", roles="protocol", sub="olga")
    service.call("PUT", "/api/v1/preferences", {"email": "olga@city.example", "language": "ru",
                                                "time_zone": "Europe/Sofia", "digest_at": "08:30",
                                                "channels": {"in-app": "immediate", "email": "digest"}},
                 roles="protocol", sub="olga", headers={"If-Match": current.headers["ETag"]})
    service.call("POST", "/api/v1/subscriptions", {"pattern": "chancery.visits.#"}, roles="protocol", sub="olga")
    return service


def deliver(notifications, event_type, name, now):
    runtime = notifications.app.extensions["chancery"]
    event = {"id": str(uuid.uuid4()), "type": event_type, "subject": str(uuid.uuid4()),
             "data": {"delegation_name": name}}
    runtime.clock = lambda: now
    with runtime.database.session() as session:
        fan_out(worker_unit_of_work(runtime, session, event["id"]), event)


def run_at(notifications, mailbox, moment):
    runtime = notifications.app.extensions["chancery"]
    runtime.clock = lambda: moment
    return Dispatcher(runtime, {"email": mailbox}).tick()


def test_the_days_emails_arrive_as_one_digest_at_the_local_digest_time_in_the_persons_language(notifications):
    deliver(notifications, "chancery.visits.visit.updated.v1", "Lyon", EVENING)
    deliver(notifications, "chancery.visits.visit.confirmed.v1", "Sofia", EVENING + timedelta(hours=1))
    mailbox = Mailbox()
    assert run_at(notifications, mailbox, DIGEST_TIME - timedelta(minutes=1)) == 0
    assert run_at(notifications, mailbox, DIGEST_TIME) == 2
    [digest] = mailbox.sent
    assert digest.target == "olga@city.example"
    assert digest.title == "Сводка Chancery: уведомлений — 2"
    assert "Визит изменён: Lyon" in digest.body and "Визит подтверждён: Sofia" in digest.body
    with notifications.app.extensions["chancery"].database.read_session() as session:
        emails = session.execute(select(Delivery).where(Delivery.channel == "email")).scalars().all()
        attempts = session.execute(select(DeliveryAttempt).where(DeliveryAttempt.channel == "email")).scalars().all()
    assert {(d.status, d.digest) for d in emails} == {("sent", True)}
    assert [a.outcome for a in attempts] == ["sent", "sent"]
    assert run_at(notifications, mailbox, DIGEST_TIME + timedelta(hours=1)) == 0
    assert len(mailbox.sent) == 1


def test_a_critical_event_is_mailed_at_once_and_not_kept_for_the_digest(notifications):
    deliver(notifications, "chancery.visits.visit.cancelled.v1", "Lyon", EVENING)
    mailbox = Mailbox()
    assert run_at(notifications, mailbox, EVENING) == 1
    [mail] = mailbox.sent
    assert mail.title == "Визит отменён: Lyon"
    assert run_at(notifications, mailbox, DIGEST_TIME) == 0


def test_the_inbox_has_no_digest_of_its_own(notifications):
    current = notifications.call("GET", "/api/v1/preferences", roles="protocol", sub="olga")
    response = notifications.call("PUT", "/api/v1/preferences", {"channels": {"in-app": "digest"}},
                                  roles="protocol", sub="olga", headers={"If-Match": current.headers["ETag"]})
    assert response.status_code == 422
