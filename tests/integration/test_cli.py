"""The `chancery` command as an operator meets it: its version, the roles a token may carry, and a purge of every
dead letter that asks first (on the real broker, in a namespace of the test's own)."""

import os
import subprocess
import uuid
from importlib.metadata import version

import pytest

from shared.http.auth import ROLES
from tests.support.broker import connection, queue_depth
from tests.support.processes import BIN, REPO

pytestmark = pytest.mark.integration


def chancery(*words: str, stdin: str = "", namespace: str = "") -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CHANCERY_")}
    return subprocess.run([str(BIN / "chancery"), *words], cwd=REPO, capture_output=True, text=True, input=stdin,
                          timeout=60, env={**env, "CHANCERY_NAMESPACE": namespace})


@pytest.fixture
def dead_letter_queue():
    """The notifications dead-letter queue of a fresh namespace, holding two dead letters."""
    namespace = f"cli{uuid.uuid4().hex[:10]}"
    queue = f"{namespace}.chancery.notifications.dlq"
    with connection() as conn:
        channel = conn.channel()
        channel.queue_declare(queue, durable=True)
        for body in (b"not a cloud event", b"nor this"):
            channel.basic_publish("", queue, body)
    try:
        yield namespace, queue
    finally:
        with connection() as conn:
            conn.channel().queue_delete(queue)


def test_the_version_is_the_installed_distributions():
    answered = chancery("--version")
    assert answered.returncode == 0 and answered.stdout == f"chancery {version('chancery')}\n"


def test_the_token_commands_help_lists_every_role_with_what_it_is_for():
    shown = chancery("token", "--help").stdout
    for role, description in ROLES.items():
        assert f"  {role} " in shown and description.split(":")[0] in shown


def test_purging_every_dead_letter_asks_for_the_services_name_and_anything_else_keeps_them(dead_letter_queue):
    namespace, queue = dead_letter_queue
    for answer in ("", "y\n", "yes\n", "visits\n"):
        refused = chancery("dlq", "purge", "notifications", "--all", stdin=answer, namespace=namespace)
        assert refused.returncode == 1 and "Type 'notifications'" in refused.stderr
        assert "nothing purged" in refused.stderr and queue_depth(queue) == 2
    confirmed = chancery("dlq", "purge", "notifications", "--all", stdin="notifications\n", namespace=namespace)
    assert confirmed.returncode == 0 and confirmed.stdout.startswith("purge: 2 message(s)")
    assert queue_depth(queue) == 0


def test_a_script_purges_every_dead_letter_with_yes_and_no_terminal(dead_letter_queue):
    namespace, queue = dead_letter_queue
    purged = chancery("dlq", "purge", "notifications", "--all", "--yes", namespace=namespace)
    assert purged.returncode == 0 and purged.stdout.startswith("purge: 2 message(s)")
    assert "Type" not in purged.stderr and queue_depth(queue) == 0


def test_purging_named_dead_letters_asks_nothing(dead_letter_queue):
    namespace, queue = dead_letter_queue
    purged = chancery("dlq", "purge", "notifications", "no-such-id", namespace=namespace)
    assert purged.returncode == 0 and purged.stdout.startswith("purge: 0 message(s)")
    assert "Type" not in purged.stderr and queue_depth(queue) == 2
