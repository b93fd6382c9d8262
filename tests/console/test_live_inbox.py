"""The live unread badge's stream: the console relays the person's notification stream on its own origin,
authenticated by the session cookie (decision 0090)."""

from __future__ import annotations

import re
import threading

import pytest

from tests.console.people import Person
from tests.support.processes import VISIT

pytestmark = pytest.mark.integration


def test_a_notification_for_the_person_arrives_on_the_consoles_own_stream(console):
    ivan, olga = Person(console.url("")), Person(console.url(""))
    ivan.sign_in("ivan", ["protocol"])
    olga.sign_in("olga", ["protocol"])
    subscribed = ivan.submit("/inbox/subscriptions", "/inbox/subscriptions",
                             {"pattern": "chancery.visits.visit.confirmed.v1"})
    assert subscribed.status_code == 302
    newest = ivan.get("/inbox/unread").json()["newest"]
    received: list[str] = []

    def listen():
        with ivan.client.stream("GET", f"/live/inbox?after={newest}", timeout=40) as stream:
            for line in stream.iter_lines():
                received.append(line)
                if line.startswith("data:"):
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    visit_page = olga.submit("/visits/new", "/visits/new", VISIT).headers["location"]
    version = re.search(r'name="version" value="(\d+)"', olga.get(visit_page).text).group(1)
    assert olga.submit(visit_page, f"{visit_page}/confirm", {"version": version}).status_code == 302
    listener.join(35)
    assert any(line.startswith("event: notification") for line in received), received
    assert any("Lyon" in line for line in received if line.startswith("data:"))
