"""The live badge's count (static/console.js) under Node, with the page, `fetch` and `EventSource` played by a
small harness: a notification that both the count read at (re)open and the stream bring is counted once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "static" / "console.js"

# Runs console.js in a context of its own; each step either answers the pending count (`count`) or delivers a
# notification on the stream (`event`); prints the badge after every step.
HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const [script, steps] = [process.argv[1], JSON.parse(process.argv[2])];
const badge = {dataset: {unreadUrl: "/inbox/unread", streamUrl: "/live/inbox"}, textContent: ""};
const pending = [], streams = [];
class EventSource {
  constructor(url) { this.url = url; this.listeners = {}; streams.push(this); }
  addEventListener(name, listener) { (this.listeners[name] = this.listeners[name] || []).push(listener); }
  emit(name, event) { (this.listeners[name] || []).forEach((listener) => listener(event)); }
}
EventSource.CLOSED = 2;
const context = {
  document: {querySelector: () => null, getElementById: (id) => (id === "unread-badge" ? badge : null),
             body: {addEventListener: () => {}}},
  fetch: () => new Promise((resolve) => pending.push(resolve)),
  EventSource, Set, JSON, String, setTimeout,
};
vm.runInNewContext(fs.readFileSync(script, "utf8"), context);
const counts = [];
(async () => {
  for (const step of steps) {
    if (step.open) { streams[streams.length - 1].emit("open", {}); }
    if (step.count) { pending.shift()({ok: true, json: () => step.count}); }
    if (step.event) {
      streams[streams.length - 1].emit("notification", {lastEventId: step.event,
        data: JSON.stringify({id: step.event, title: "t", body: "b"})});
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    counts.push(badge.dataset.count);
  }
  console.log(JSON.stringify(counts));
})();
"""


def badge_after(steps: list[dict]) -> list[str]:
    node = shutil.which("node")
    assert node, "the badge's test needs Node (`make tools` installs it)"
    done = subprocess.run([node, "-e", HARNESS, "--", str(SCRIPT), json.dumps(steps)], capture_output=True,
                          text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def test_a_notification_the_count_already_holds_is_not_counted_again_when_the_stream_brings_it():
    counts = badge_after([{"open": True}, {"count": {"unread": 1, "recent": ["a"]}}, {"event": "a"}])
    assert counts == [None, "1", "1"]


def test_a_notification_arriving_before_the_count_that_holds_it_is_counted_once():
    counts = badge_after([{"open": True}, {"event": "a"}, {"count": {"unread": 1, "recent": ["a"]}}])
    assert counts == [None, "1", "1"]


def test_a_notification_arriving_before_a_count_that_missed_it_is_added_to_that_count():
    counts = badge_after([{"open": True}, {"event": "b"}, {"count": {"unread": 1, "recent": ["a"]}}])
    assert counts == [None, "1", "2"]


@pytest.mark.parametrize("later", ["b", "c"])
def test_a_new_notification_after_the_count_adds_one(later):
    counts = badge_after([{"open": True}, {"count": {"unread": 1, "recent": ["a"]}}, {"event": later}])
    assert counts == [None, "1", "2"]
