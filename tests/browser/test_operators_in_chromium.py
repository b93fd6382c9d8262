"""The operator at the console in Chromium (issue 16's "Done means"): a poison message seen in the dead letters,
inspected, and replayed once its cause is fixed, reaching the inbox it was meant for once."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import check, go, guide_shot
from tests.support.broker import publish_raw

pytestmark = pytest.mark.integration
STARTED = "chancery.visits.visit.started.v1"


def set_time_zone(suite, person: str, zone: str) -> None:
    """A preference no code path writes (the cause of the poison message), and the fix."""
    database = suite.direct_database_urls["notifications"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        changed = connection.execute("UPDATE recipients SET time_zone = ? WHERE name = ?", (zone, person))
        assert changed.rowcount == 1


def go_until(page: Page, path: str, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in go(page, path).content():
        assert time.monotonic() < deadline, f"{text!r} never on {path}"
        time.sleep(0.5)


def test_the_operator_sees_a_poison_message_in_the_dead_letters_and_replays_it_after_the_fix(browse, suite):
    nina = browse("nina")
    go(nina, "/inbox/subscriptions")
    nina.fill("#subscribe-form [name=pattern]", STARTED)
    nina.click("#subscribe-form button[type=submit]")
    expect(nina.locator("main")).to_contain_text(STARTED)
    set_time_zone(suite, "nina", "Mars/Olympus")
    event_id = str(uuid.uuid4())
    publish_raw(suite.namespace, STARTED, json.dumps({
        "specversion": "1.0", "id": event_id, "source": "/chancery/visits", "type": STARTED,
        "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()), "datacontenttype": "application/json",
        "data": {"delegation_name": "Delegation from Mars"}}).encode())

    otto = browse("otto")
    go(otto, "/")
    otto.click("nav >> text=Operators")
    expect(otto.locator("#service-notifications .web")).to_contain_text("ready")
    check(otto)
    guide_shot(otto, "operators")
    go_until(otto, "/operators/notifications/dead-letters", event_id)
    otto.click(f"text={event_id}")
    expect(otto.locator("#error")).to_contain_text("Mars/Olympus")
    check(otto)
    guide_shot(otto, "dead-letter")

    set_time_zone(suite, "nina", "Europe/Sofia")
    otto.click("#replay button[type=submit]")
    expect(otto.locator("main")).to_contain_text("Replayed: 1.")
    expect(otto.locator("#dead-letters")).not_to_contain_text(event_id)
    check(otto)
    go_until(nina, "/inbox", "Visit started: Delegation from Mars")
    assert nina.content().count("Visit started: Delegation from Mars") == 1
