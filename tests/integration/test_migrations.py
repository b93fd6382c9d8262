"""Each service's Alembic history builds exactly the schema its models describe, on SQLite and PostgreSQL, and the
plumbing tables in it behave alike on both."""

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.bus.consumer import EventConsumer
from shared.config import load_settings
from shared.db import Database, make_engine
from shared.migrations import alembic_config, kept_on, upgrade
from shared.suite import SERVICES, spec_of
from tests.support.processes import create_postgres_database, drop_postgres_database

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICES)
def test_migrating_to_head_gives_the_schema_the_models_describe_and_downgrading_removes_it(service, database_url):
    spec = spec_of(service)
    upgrade(spec, load_settings(service, {f"{service.upper()}_DATABASE_URL": database_url}))
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": kept_on(engine.dialect.name)})
        differences = compare_metadata(context, spec.metadata)
    assert differences == []

    command.downgrade(alembic_config(spec, database_url), "base")
    with engine.connect() as connection:
        remaining = set(engine.dialect.get_table_names(connection)) - {"alembic_version"}
    engine.dispose()
    assert remaining == set()


def test_the_consumer_claims_an_event_once_and_recognises_its_redelivery_on_either_database(database_url):
    settings = load_settings("trips", {"TRIPS_DATABASE_URL": database_url})
    spec = spec_of("trips")
    upgrade(spec, settings)
    database = Database(database_url)
    consumer = EventConsumer(settings, database, spec.tables, [], lambda session, event: None)
    event = {"id": str(uuid.uuid4()), "type": "chancery.visits.invitation.accepted.v1"}
    try:
        assert consumer.handle(event) is True
        assert consumer.handle(event) is False
        assert consumer.handle({**event, "id": str(uuid.uuid4())}) is True
    finally:
        database.engine.dispose()



def test_every_statement_on_postgresql_is_planned_for_its_own_parameters():
    name = f"scratch_{uuid.uuid4().hex[:10]}"
    engine = make_engine(create_postgres_database(name))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "force_custom_plan"
    finally:
        engine.dispose()
        drop_postgres_database(name)
