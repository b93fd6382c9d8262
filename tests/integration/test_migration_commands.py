"""`chancery migrate status|history|downgrade`: operators see and move a service's migration state, on SQLite and
on PostgreSQL (a scratch database of each kind per test)."""

import os
import subprocess

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from shared.db import make_engine
from shared.migrations import alembic_config
from shared.suite import spec_of
from tests.support.processes import BIN, REPO

pytestmark = pytest.mark.integration
HEAD, PREVIOUS = (lambda head: (head.revision, head.down_revision))(
    ScriptDirectory.from_config(alembic_config(spec_of("visits"), "sqlite://")).get_revision("head"))


def chancery_migrate(database_url: str, *words: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CHANCERY_")}
    return subprocess.run([str(BIN / "chancery"), "migrate", *words], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**env, "VISITS_DATABASE_URL": database_url})


def tables(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_status_says_a_new_database_is_not_migrated_and_a_migrated_one_is_at_head(database_url):
    assert chancery_migrate(database_url, "status", "visits").stdout == \
        f"visits: not migrated (no revision); head is {HEAD}\n"
    assert chancery_migrate(database_url, "visits").stdout == "visits: migrated to head\n"
    assert chancery_migrate(database_url, "status", "visits").stdout == f"visits: at {HEAD} (head)\n"


def test_downgrade_goes_back_one_revision_which_status_and_history_then_show_and_upgrade_comes_back(database_url):
    chancery_migrate(database_url, "visits")
    downgraded = chancery_migrate(database_url, "downgrade", "visits", "-1")
    assert downgraded.returncode == 0, downgraded.stderr
    assert downgraded.stdout == f"visits: at {PREVIOUS}, 1 revision(s) behind head {HEAD}\n"
    history = chancery_migrate(database_url, "history", "visits").stdout.splitlines()
    assert history[0].startswith(HEAD) and history[0].endswith("(head)")
    assert history[1].startswith(PREVIOUS) and history[1].endswith("(current)")
    assert sum("(current)" in line for line in history) == 1
    assert history[-1].split()[0] == ScriptDirectory.from_config(
        alembic_config(spec_of("visits"), database_url)).get_base()

    assert chancery_migrate(database_url, "visits").returncode == 0
    assert chancery_migrate(database_url, "status", "visits").stdout == f"visits: at {HEAD} (head)\n"


def test_downgrade_to_base_drops_every_table_but_alembics_own(database_url):
    chancery_migrate(database_url, "visits")
    assert "visits" in tables(database_url)
    assert chancery_migrate(database_url, "downgrade", "visits", "base").returncode == 0
    assert tables(database_url) <= {"alembic_version"}


@pytest.mark.parametrize("words", [("history",), ("downgrade", "visits"), ("status", "embassies"),
                                   ("history", "visits", "trips")])
def test_a_command_missing_its_service_or_revision_or_naming_an_unknown_service_is_refused_with_the_usage(
        tmp_path, words):
    refused = chancery_migrate(f"sqlite:///{tmp_path}/untouched.db", *words)
    assert refused.returncode == 2 and refused.stderr.startswith("usage: chancery migrate")
    assert "Traceback" not in refused.stderr and not (tmp_path / "untouched.db").exists()
