"""Notifications on real processes (gunicorn web, worker) on PostgreSQL and the real broker: one event
fanned out to many people over the inbox, the live stream, e-mail (a real SMTP server) and signed
webhooks (verified with the `standardwebhooks` library) and a city system's own AMQP queue, at most
once per (event, recipient, channel) even when the worker is SIGKILLed between calling the channel and
recording the outcome."""

from __future__ import annotations

import http.client
import json
import queue
import signal
import subprocess
import threading
import uuid
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pika
import psycopg
import pytest
from aiosmtpd.controller import Controller
from standardwebhooks import Webhook as StandardWebhook

from tests.support.broker import get_all, publish_raw, queue_depth
from tests.support.processes import BIN, Suite, eventually, free_port

pytestmark = pytest.mark.integration
UPDATED = "chancery.visits.visit.updated.v1"
KILL_MARK = "kill-the-worker"


class Receiver:
    """A webhook receiver and an SMTP server on 127.0.0.1 that record what arrives; a message on the
    channel `kill_on` whose body contains KILL_MARK makes them SIGKILL the notifications worker before
    they answer (once)."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.mails: list = []
        self.suite: Suite | None = None
        self.killed = threading.Event()
        self.kill_on: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                receiver.kill_once("webhook", body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        class Mailbox:
            async def handle_DATA(self, server, session, envelope):
                receiver.mails.append(message_from_bytes(envelope.content))
                receiver.kill_once("email", envelope.content)
                return "250 OK"

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.smtp = Controller(Mailbox(), hostname="127.0.0.1", port=free_port())
        self.smtp.start()

    def kill_once(self, channel: str, body: bytes) -> None:
        if channel == self.kill_on and KILL_MARK.encode() in body and not self.killed.is_set():
            self.killed.set()
            self.suite.kill("notifications", "worker", signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/hooks/chancery"

    def close(self) -> None:
        self.http.shutdown()
        self.smtp.stop()


@pytest.fixture(scope="module")
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def suite(receiver, tmp_path_factory):
    suite = Suite(("notifications",), tmp_path_factory.mktemp("notifications-delivery"), database="postgres",
                  extra_env={"NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
                             "NOTIFICATIONS_SMTP_PORT": str(receiver.smtp.port),
                             "NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
                             "NOTIFICATIONS_SEND_LEASE_SECONDS": "2",
                             "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.2",
                             "NOTIFICATIONS_DISPATCH_POLL_SECONDS": "0.05",
                             "NOTIFICATIONS_STREAM_SECONDS": "20"})
    receiver.suite = suite
    with suite:
        yield suite


def publish(suite, name="Delegation of the City of Lyon", event_type=UPDATED) -> dict:
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": event_type,
             "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()), "datacontenttype": "application/json",
             "data": {"delegation_name": name}}
    publish_raw(suite.namespace, event_type, json.dumps(event).encode())
    return event


def person(suite, sub, email=None, pattern="chancery.visits.#"):
    """A protocol officer subscribed to visit events, with e-mail at once when an address is given."""
    current = suite.call("GET", "notifications", "/api/v1/preferences", roles="protocol", sub=sub)
    if email:
        changed = suite.call("PUT", "notifications", "/api/v1/preferences",
                             {"email": email, "channels": {"in-app": "immediate", "email": "immediate"}},
                             roles="protocol", sub=sub, headers={"If-Match": current.headers["etag"]})
        assert changed.status == 200, changed.body
    subscribed = suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": pattern},
                            roles="protocol", sub=sub)
    assert subscribed.status == 201, subscribed.body


def webhook(suite, receiver, sub="olga") -> str:
    created = suite.call("POST", "notifications", "/api/v1/webhooks",
                         {"url": receiver.url, "pattern": "chancery.visits.#"}, roles="protocol", sub=sub)
    assert created.status == 201, created.body
    return created.json


def deliveries(suite, event_id, channel):
    listed = suite.call("GET", "notifications", f"/api/v1/deliveries?event_id={event_id}&channel={channel}",
                        roles="operator")
    return listed.json["items"]


def attempts(suite, delivery_id):
    return [(a["outcome"]) for a in suite.call("GET", "notifications", f"/api/v1/deliveries/{delivery_id}",
                                               roles="operator").json["attempts_log"]]


def test_one_event_reaches_every_subscribers_inbox_and_mail_and_a_signed_webhook(suite, receiver):
    people = [f"officer-{n}" for n in range(20)]
    for sub in people:
        person(suite, sub, email=f"{sub}@city.example" if sub.endswith(("1", "2")) else None)
    hook = webhook(suite, receiver)
    event = publish(suite)

    def everyone_heard():
        return all(any(item["event_id"] == event["id"] for item in suite.call(
            "GET", "notifications", "/api/v1/inbox", roles="protocol", sub=sub).json["items"]) for sub in people)

    eventually(everyone_heard, timeout=10, message="every inbox")
    mails = eventually(lambda: [m for m in receiver.mails if "Lyon" in m["Subject"]], message="the mails")
    eventually(lambda: len([m for m in receiver.mails if "Lyon" in m["Subject"]]) >= 4, message="four mails")
    assert sorted(m["To"] for m in receiver.mails if "Lyon" in m["Subject"]) == sorted([
        "officer-1@city.example", "officer-11@city.example", "officer-12@city.example", "officer-2@city.example"])
    assert mails[0]["Subject"] == "Visit changed: Delegation of the City of Lyon"

    headers, body = eventually(lambda: [r for r in receiver.requests if event["id"].encode() in r[1]],
                               message="the webhook")[0]
    payload = StandardWebhook(hook["secret"]).verify(body, headers)
    assert (payload["id"], payload["type"], payload["data"]) == (event["id"], UPDATED, event["data"])
    with pytest.raises(Exception, match="signature"):
        StandardWebhook(hook["secret"]).verify(body.replace(b"Lyon", b"Lyom"), headers)
    [logged] = deliveries(suite, event["id"], "webhook")
    assert headers["webhook-id"] == logged["id"]
    assert eventually(lambda: attempts(suite, logged["id"]) == ["sent"], message="the logged attempt")


def read_lines(response, lines: queue.Queue) -> None:
    try:
        for line in response:
            lines.put(line.decode().rstrip("\n"))
    except (OSError, ValueError, AttributeError):  # the test closed the connection; http.client says so oddly
        return


def test_a_page_open_on_the_live_stream_receives_the_notification(suite):
    person(suite, "stella")
    connection = http.client.HTTPConnection("127.0.0.1", suite.ports["notifications"], timeout=15)
    connection.request("GET", "/api/v1/inbox/stream",
                       headers={"Authorization": f"Bearer {suite.token('protocol', 'stella')}"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(response, lines), daemon=True).start()
    assert lines.get(timeout=5) == "retry: 1000"
    event = publish(suite, name="Delegation of the City of Sofia")
    received = []
    while not any(line.startswith("data: ") for line in received):
        received.append(lines.get(timeout=10))
    data = json.loads(next(line for line in received if line.startswith("data: ")).removeprefix("data: "))
    assert (data["event_id"], data["title"]) == (event["id"], "Visit changed: Delegation of the City of Sofia")
    assert "event: notification" in received
    connection.close()


def test_a_webhook_interrupted_by_a_sigkill_is_sent_again_with_the_same_id_and_logged(suite, receiver):
    receiver.killed.clear()
    receiver.kill_on = "webhook"
    webhook(suite, receiver, sub="wanda")
    event = publish(suite, name=KILL_MARK)
    eventually(receiver.killed.is_set, message="the worker killed mid-send")
    suite.start_worker("notifications")
    # Every webhook registered for visit events gets the event; the one that was being sent is interrupted.
    logged = eventually(lambda: [d for d in deliveries(suite, event["id"], "webhook") if d["status"] == "sent"]
                        == deliveries(suite, event["id"], "webhook") and deliveries(suite, event["id"], "webhook"),
                        timeout=15, message="every webhook delivery sent")
    assert sorted(tuple(attempts(suite, delivery["id"])) for delivery in logged)[-1] == ("unknown", "sent")
    ids = [headers["webhook-id"] for headers, body in receiver.requests if event["id"].encode() in body]
    assert set(ids) == {delivery["id"] for delivery in logged}
    assert len(ids) == len(logged) + 1  # the interrupted request came twice, with the same webhook-id


def test_an_email_interrupted_by_a_sigkill_is_not_sent_twice(suite, receiver):
    receiver.killed.clear()
    receiver.kill_on = "email"
    person(suite, "kira", email="kira@city.example")
    name = f"{KILL_MARK} {uuid.uuid4()}"
    event = publish(suite, name=name)
    eventually(receiver.killed.is_set, message="the worker killed mid-send")
    suite.start_worker("notifications")

    def settled():
        logged = deliveries(suite, event["id"], "email")
        return logged if logged and all(d["status"] in ("sent", "unknown") for d in logged) else None

    logged = eventually(settled, timeout=15, message="every e-mail delivery settled")
    [interrupted] = [d for d in logged if d["status"] == "unknown"]
    assert attempts(suite, interrupted["id"]) == ["unknown"]
    # Each person got the mail once, the interrupted one included: it left before the kill, never again.
    mailed = sorted(m["To"] for m in receiver.mails if name in m["Subject"])
    assert mailed == sorted(d["recipient"] + "@city.example" for d in logged)
    assert len(mailed) == len(set(mailed))


def test_a_webhook_at_a_link_local_address_is_refused(suite):
    response = suite.call("POST", "notifications", "/api/v1/webhooks",
                          {"url": "http://169.254.169.254/latest/meta-data", "pattern": "chancery.visits.#"},
                          roles="protocol", sub="olga")
    assert response.status == 422
    assert response.json["errors"][0]["field"] == "url"


def test_a_city_systems_queue_is_bound_to_exactly_its_patterns_and_removed_with_it(suite):
    created = suite.call("POST", "notifications", "/api/v1/integrations",
                         {"name": "city-docs", "patterns": [UPDATED]}, roles="notifications-admin")
    assert created.status == 201, created.body
    queue_name = f"{suite.namespace}.city-docs.events"
    assert created.json["queue"] == queue_name

    def state():
        return suite.call("GET", "notifications", "/api/v1/integrations", roles="operator").json["items"][0]

    eventually(lambda: state()["declared"], message="the queue declared and bound")
    event = publish(suite, name="For the city's document system")
    [(body, _)] = get_all(queue_name)
    assert body["id"] == event["id"]

    changed = suite.call("PUT", "notifications", f"/api/v1/integrations/{created.json['id']}/patterns",
                         {"patterns": ["chancery.trips.#"]}, roles="notifications-admin",
                         headers={"If-Match": created.headers["etag"]})
    assert changed.status == 200, changed.body
    eventually(lambda: state()["declared"], message="the queue bound anew")
    publish(suite, name="Not for the document system any more")
    publish_raw(suite.namespace, "chancery.trips.trip.approved.v1", json.dumps(
        {**event, "id": str(uuid.uuid4()), "type": "chancery.trips.trip.approved.v1"}).encode())
    assert [body["type"] for body, _ in get_all(queue_name)] == ["chancery.trips.trip.approved.v1"]

    assert suite.call("DELETE", "notifications", f"/api/v1/integrations/{created.json['id']}",
                      roles="notifications-admin").status == 204

    def queue_gone():
        try:
            queue_depth(queue_name)
        except pika.exceptions.ChannelClosedByBroker:
            return True
        return False

    eventually(queue_gone, message="the queue deleted")


def test_a_dead_letter_is_listed_with_its_error_and_once_the_cause_is_fixed_replayed_into_the_inbox(suite):
    started = "chancery.visits.visit.started.v1"
    person(suite, "dora", pattern=started)
    database = suite.database_urls["notifications"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(database, autocommit=True) as connection:  # a preference no code path writes
        connection.execute("UPDATE recipients SET time_zone = 'Mars/Olympus' WHERE name = 'dora'")
    event = publish(suite, name="Dead letter", event_type=started)

    def dead_letters():
        listed = suite.call("GET", "notifications", "/api/v1/dead-letters", roles="operator").json
        return [item for item in listed["items"] if item["message_id"] == event["id"]]

    [letter] = eventually(dead_letters, timeout=15, message="the event in the dead-letter queue")
    assert letter["event_type"] == started and "Mars/Olympus" in letter["error"] and letter["attempts"] == 3
    shown = suite.call("GET", "notifications", f"/api/v1/dead-letters/{event['id']}", roles="operator").json
    assert shown["body"]["data"] == {"delegation_name": "Dead letter"}
    listed = subprocess.run([str(BIN / "chancery"), "dlq", "list", "notifications"], env=suite.env("notifications"),
                            capture_output=True, text=True, check=True).stdout
    assert event["id"] in listed
    assert suite.call("GET", "notifications", "/api/v1/dead-letters", roles="protocol").status == 403

    current = suite.call("GET", "notifications", "/api/v1/preferences", roles="protocol", sub="dora")
    fixed = suite.call("PUT", "notifications", "/api/v1/preferences", {"time_zone": "Europe/Sofia"},
                       roles="protocol", sub="dora", headers={"If-Match": current.headers["etag"]})
    assert fixed.status == 200, fixed.body
    replayed = suite.call("POST", "notifications", "/api/v1/dead-letters/replay", {"message_ids": [event["id"]]},
                          roles="operator")
    assert replayed.json == {"message_ids": [event["id"]]}
    audited = suite.call("GET", "notifications", f"/api/v1/audit-records?record_id={event['id']}", roles="auditor")
    assert [(record["action"], record["actor"]) for record in audited.json["items"]] == [
        ("dead-letter.replayed", "tester")]
    eventually(lambda: [item for item in suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol",
                                                    sub="dora").json["items"] if item["event_id"] == event["id"]],
               message="the replayed event in the inbox")
    assert dead_letters() == []


def test_the_dlq_command_purges_only_when_told_which_or_all(suite):
    publish_raw(suite.namespace, "chancery.visits.visit.started.v1", b"not a cloud event")
    eventually(lambda: suite.call("GET", "notifications", "/api/v1/dead-letters", roles="operator").json["items"],
               message="the unparsable message dead-lettered")

    def dlq(*args):
        return subprocess.run([str(BIN / "chancery"), "dlq", *args], env=suite.env("notifications"),
                              capture_output=True, text=True)

    refused = dlq("purge", "notifications")
    assert refused.returncode == 2 and "--all" in refused.stderr
    [line] = dlq("list", "notifications").stdout.splitlines()
    assert json.loads(line)["error"].startswith("poison: body is not JSON")
    assert dlq("purge", "notifications", "--all", "--yes").stdout.startswith("purge: 1 message(s)")
    assert suite.call("GET", "notifications", "/api/v1/dead-letters", roles="operator").json["items"] == []


def audited(suite, record_id) -> list[str]:
    listed = suite.call("GET", "notifications", f"/api/v1/audit-records?record_id={record_id}", roles="auditor")
    return [record["action"] for record in listed.json["items"]]


def test_a_webhook_secret_is_encrypted_at_rest_and_never_shown_after_its_creation(suite, receiver):
    hook = webhook(suite, receiver, sub="erin")
    database = suite.database_urls["notifications"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(database, autocommit=True) as connection:
        [stored] = connection.execute("SELECT secret FROM webhooks WHERE id = %s", (hook["id"],)).fetchone()
    assert hook["secret"].startswith("whsec_") and hook["secret"] not in stored
    assert hook["secret"].removeprefix("whsec_") not in stored
    listed = suite.call("GET", "notifications", "/api/v1/webhooks", roles="protocol", sub="erin")
    answered = json.dumps(listed.body)
    assert hook["id"] in answered and hook["secret"].removeprefix("whsec_") not in answered


def test_during_a_secret_rotation_a_delivery_verifies_with_the_old_secret_and_with_the_new(suite, receiver):
    hook = webhook(suite, receiver, sub="rosa")
    rotated = suite.call("POST", "notifications", f"/api/v1/webhooks/{hook['id']}/rotate-secret", roles="protocol",
                         sub="rosa", headers={"If-Match": '"1"'})
    assert rotated.status == 200, rotated.body
    assert rotated.json["secret"] != hook["secret"] and rotated.json["version"] == 2
    event = publish(suite, name="Rotation of the Lyon secret")
    [(headers, body)] = eventually(lambda: [r for r in receiver.requests if event["id"].encode() in r[1]
                                            and r[0]["webhook-id"] in [d["id"] for d in deliveries(
                                                suite, event["id"], "webhook") if d["recipient"].endswith(hook["id"])]],
                                   timeout=15, message="the webhook of the rotated secret")
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (hook["secret"], rotated.json["secret"]):
        assert StandardWebhook(secret).verify(body, headers)["id"] == event["id"]
    assert "webhook.rotate-secret" in audited(suite, hook["id"])
    stale = suite.call("POST", "notifications", f"/api/v1/webhooks/{hook['id']}/rotate-secret", roles="protocol",
                       sub="rosa", headers={"If-Match": '"1"'})
    assert stale.status == 412


def test_a_test_event_and_a_manual_redelivery_reach_the_receiver_signed_and_are_audited(suite, receiver):
    hook = webhook(suite, receiver, sub="tess")
    tested = suite.call("POST", "notifications", f"/api/v1/webhooks/{hook['id']}/test", roles="protocol", sub="tess")
    assert tested.status == 202, tested.body
    delivery = tested.json

    def received():
        return [(h, b) for h, b in receiver.requests if h["webhook-id"] == delivery["id"]]

    [(headers, body)] = eventually(received, timeout=15, message="the test event")
    payload = StandardWebhook(hook["secret"]).verify(body, headers)
    assert (payload["type"], payload["data"]["test"], payload["subject"]) == (
        "chancery.notifications.webhook.test.v1", True, hook["id"])
    eventually(lambda: attempts(suite, delivery["id"]) == ["sent"], message="the test event logged as sent")
    again = suite.call("POST", "notifications", f"/api/v1/deliveries/{delivery['id']}/redeliver", roles="protocol",
                       sub="tess")
    assert again.status == 202 and again.json["status"] == "pending", again.body
    eventually(lambda: len(received()) == 2, timeout=15, message="the redelivery")
    assert StandardWebhook(hook["secret"]).verify(received()[1][1], received()[1][0]) == payload
    assert eventually(lambda: attempts(suite, delivery["id"]) == ["sent", "sent"], message="both attempts logged")
    assert "webhook.test" in audited(suite, hook["id"]) and audited(suite, delivery["id"]) == ["delivery.redeliver"]
    stranger = suite.call("POST", "notifications", f"/api/v1/deliveries/{delivery['id']}/redeliver",
                          roles="protocol", sub="ivan")
    assert stranger.status == 404
