"""docs/asyncapi.yaml is generated (`make asyncapi`): the committed file is what the code says now, and a type the
code adds is described without anyone writing its channel, message or operations."""

from __future__ import annotations

import dataclasses

import yaml

from shared.asyncapi import ASYNCAPI_FILE, DESCRIPTIONS_FILE, asyncapi_document, asyncapi_yaml, suite_services
from shared.bus.envelope import EventCatalog

NEW_TYPE = "chancery.visits.visit.archived.v1"


def test_the_committed_asyncapi_document_is_what_make_asyncapi_generates_now():
    assert ASYNCAPI_FILE.read_text() == asyncapi_yaml(), "docs/asyncapi.yaml is stale: run `make asyncapi`"


def with_new_visit_type(services):
    visits = next(service for service in services if service.name == "visits")
    catalog = EventCatalog("visits", visits.catalog.schema_dir, {**visits.catalog.types, NEW_TYPE: "visit.v1.json"})
    return [dataclasses.replace(s, catalog=catalog) if s is visits else s for s in services]


def test_a_new_event_type_gets_its_channel_message_and_operations_from_its_catalog_alone():
    words = yaml.safe_load(DESCRIPTIONS_FILE.read_text())
    assert NEW_TYPE not in words["events"]
    document = asyncapi_document(with_new_visit_type(suite_services()), words)

    message = document["components"]["messages"]["visitsVisitArchivedV1"]
    assert (message["name"], message["title"]) == (NEW_TYPE, "Visit archived")
    assert "A visit of a foreign delegation" in message["summary"]  # the schema's title
    assert document["channels"]["visitsVisitArchivedV1"]["address"] == NEW_TYPE
    assert document["operations"]["publishVisitsVisitArchivedV1"]["action"] == "send"
    assert "visitsVisitArchivedV1" in document["channels"]["notificationsQueue"]["messages"]  # binds chancery.#
    assert "visitsVisitArchivedV1" in document["channels"]["outreachQueue"]["messages"]  # binds chancery.visits.#
    assert "visitsVisitArchivedV1" not in document["channels"]["tripsQueue"]["messages"]


def test_every_consuming_service_is_said_to_listen_in_the_description_from_its_subscriptions():
    document = asyncapi_document(suite_services(), yaml.safe_load(DESCRIPTIONS_FILE.read_text()))
    description = document["info"]["description"]
    assert "notifications binds chancery.events with `chancery.#`" in description
    assert "contracts only publishes" in description
