"""Alembic migrations per service, run by `chancery migrate` and by `make run`; their state for operators
(`chancery migrate status|history|downgrade`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from shared.config import Settings
from shared.db import UTCDateTime, make_engine
from shared.pii import EncryptedText
from shared.service import ServiceSpec


def alembic_config(spec: ServiceSpec, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(spec.migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["spec"] = spec
    return config


def upgrade(spec: ServiceSpec, settings: Settings) -> None:
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(spec, settings.database_url), "head")


def status(spec: ServiceSpec, settings: Settings) -> str:
    """One line: the database's revision, and whether it is at the newest or how many revisions behind."""
    config = alembic_config(spec, settings.database_url)
    scripts = ScriptDirectory.from_config(config)
    current = _current_revisions(settings.database_url)
    head = scripts.get_current_head()
    if not current:
        return f"{spec.name}: not migrated (no revision); head is {head}"
    if current == (head,):
        return f"{spec.name}: at {head} (head)"
    pending = [script.revision for script in scripts.iterate_revisions(head, current)]
    return f"{spec.name}: at {', '.join(current)}, {len(pending)} revision(s) behind head {head}"


def history(spec: ServiceSpec, settings: Settings) -> list[str]:
    """Every revision, newest first, one line each, the database's own marked `(current)`."""
    scripts = ScriptDirectory.from_config(alembic_config(spec, settings.database_url))
    current = set(_current_revisions(settings.database_url))
    return [f"{script.revision} {script.doc}{' (head)' if script.is_head else ''}"
            f"{' (current)' if script.revision in current else ''}" for script in scripts.walk_revisions()]


def downgrade(spec: ServiceSpec, settings: Settings, revision: str) -> None:
    """Back to `revision` (a revision id, `-1` for one step, `base` for nothing)."""
    command.downgrade(alembic_config(spec, settings.database_url), revision)


def _current_revisions(database_url: str) -> tuple[str, ...]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_heads()
    finally:
        engine.dispose()


def make_revision(spec: ServiceSpec, message: str) -> None:
    """Autogenerate a revision by comparing the models with an empty database migrated to head."""
    with tempfile.TemporaryDirectory() as scratch:
        config = alembic_config(spec, f"sqlite:///{scratch}/scratch.db")
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)


def _render_item(type_, obj, autogen_context):
    """Migrations store the database type: UTCDateTime is a timestamp with time zone, EncryptedText text."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    return False


def kept_on(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for a database of this dialect: what the models create only on another one
    (`Index(...).ddl_if(dialect="postgresql")`, a trigram index) is left out of the comparison."""

    def include(item: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        condition = getattr(item, "_ddl_if", None)  # SQLAlchemy keeps `ddl_if`'s arguments there
        if condition is None or condition.dialect is None:
            return True
        wanted = condition.dialect
        return dialect == wanted if isinstance(wanted, str) else dialect in wanted

    return include


def run_migrations(spec: ServiceSpec) -> None:
    """The body of every service's migrations/env.py."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url", "")  # set by `upgrade` and `make_revision`
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=spec.metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=spec.metadata, render_as_batch=True,
                          render_item=_render_item, include_object=kept_on(connection.dialect.name))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
