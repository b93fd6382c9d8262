"""Figure 4: one event fanned out to 1,000 in-app subscribers and 50 webhooks (to a local receiver).

notifications runs as real processes (tests.support.processes.Suite: gunicorn web + worker, throwaway
namespace). The subscribers and webhooks are written straight into its database before the run (setting
them up through the API would measure the API instead). One CloudEvent is published to the events
exchange; the clock runs from the publish to the last in-app notification committed and to the last
webhook request the receiver got. Throughput = deliveries / time to the last one.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import func, select

from services.notifications.channels.webhook import new_secret
from services.notifications.store.models import Notification, Recipient, Subscription, Webhook
from shared.db import Database
from tests.bench.support import rounded, say
from tests.support.broker import publish_raw, wait_until_consuming
from tests.support.processes import Suite

SUBSCRIBERS, WEBHOOKS = 1000, 50
TARGET_SECONDS = 10.0
EVENT_TYPE = "chancery.visits.visit.confirmed.v1"


class Receiver:
    def __init__(self):
        self.times: list[float] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.times.append(time.monotonic())
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def _populate(database: Database, receiver: Receiver) -> None:
    with database.session() as session:
        for n in range(SUBSCRIBERS):
            name = f"bench-{n:04d}"
            session.add(Recipient(name=name, roles="protocol", language="en", time_zone="UTC", channels={},
                                  digest_at="08:00", version=1))
            session.add(Subscription(subscriber=name, subscriber_roles="protocol", pattern="chancery.visits.#",
                                     channel="in-app", language=""))
        for n in range(WEBHOOKS):
            session.add(Webhook(owner=f"bench-{n:04d}", owner_roles="protocol", url=f"{receiver.url}/{n}",
                                pattern="chancery.visits.#", secret=new_secret(), enabled=True,
                                consecutive_failures=0, version=1))


def measure(kind: str, workdir: Path, deadline_s: float = 120) -> dict:
    receiver = Receiver()
    suite = Suite(("notifications",), workdir / f"fan-out-{kind}", database=kind,
                  extra_env={"NOTIFICATIONS_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
                             "NOTIFICATIONS_DISPATCH_POLL_SECONDS": "0.02", "CHANCERY_TRACES_EXPORTER": "none",
                             "CHANCERY_RATE_LIMIT": ""})
    try:
        suite.start()
        database = Database(suite.database_urls["notifications"])
        _populate(database, receiver)
        event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": EVENT_TYPE,
                 "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()), "datacontenttype": "application/json",
                 "data": {"delegation_name": "Delegation of the City of Lyon"}}
        wait_until_consuming(suite.namespace, "notifications")
        say(f"fan_out {kind}: publishing one event to {SUBSCRIBERS} subscribers and {WEBHOOKS} webhooks")
        published = time.monotonic()
        publish_raw(suite.namespace, EVENT_TYPE, json.dumps(event).encode())
        in_app_done = None
        deadline = published + deadline_s
        while time.monotonic() < deadline and (in_app_done is None or len(receiver.times) < WEBHOOKS):
            if in_app_done is None:
                with database.read_session() as session:
                    count = session.scalar(select(func.count()).select_from(Notification)
                                           .where(Notification.event_id == event["id"]))
                if count >= SUBSCRIBERS:
                    in_app_done = time.monotonic()
            time.sleep(0.02)
        database.dispose()
    finally:
        suite.stop()
        receiver.server.shutdown()
    webhooks_done = max(receiver.times) if len(receiver.times) >= WEBHOOKS else None
    last = max(filter(None, (in_app_done, webhooks_done)), default=None)
    complete = in_app_done is not None and webhooks_done is not None
    total = (last - published) if complete else None
    return {
        "subscribers": SUBSCRIBERS, "webhooks": WEBHOOKS,
        "in_app_s": rounded(in_app_done - published if in_app_done else None),
        "webhooks_s": rounded(webhooks_done - published if webhooks_done else None),
        "webhooks_received": len(receiver.times),
        "time_to_last_delivery_s": rounded(total),
        "notifications_per_s": rounded((SUBSCRIBERS + WEBHOOKS) / total, 1) if total else None,
        "target_s": TARGET_SECONDS,
        "met": bool(total and total <= TARGET_SECONDS),
    }
