"""The event contracts: the services' catalogs, their JSON Schemas, the envelope and docs/asyncapi.yaml agree.

Unit-level: no broker, no database. Every case is derived from the catalogs
(`services.<name>.events.CATALOG`) and the handlers' subscriptions, so that an event type added to a
catalog, or a new subscription, fails here until docs/asyncapi.yaml describes it. The document is generated
(`make asyncapi`, tests/test_asyncapi_generated.py): these tests prove that what the generator writes is right.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import MetaData

from shared.bus.consumer import topic_matches
from shared.bus.envelope import CONTENT_TYPE, TYPE_PATTERN, EventCatalog, parse_cloud_event
from shared.bus.outbox import Outbox
from shared.bus.topology import EVENTS, Binding, Topology
from shared.config import load_settings
from shared.db import PlumbingTables, utcnow
from shared.suite import SERVICES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ASYNCAPI_FILE = DOCS / "asyncapi.yaml"
ASYNCAPI_URI = ASYNCAPI_FILE.as_uri()
ENVELOPE_SCHEMA_FILE = DOCS / "events" / "cloudevent.v1.json"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
NAME = re.compile(r"^chancery\.(?P<service>[a-z]+)\.(?P<record>[a-z-]+)\.(?P<action>[a-z-]+)\.v(?P<major>[0-9]+)$")

# Settings with every default, whatever the environment of the test run says.
DEFAULTS = {name: "" for name in ("CHANCERY_ENV", "CHANCERY_NAMESPACE", "CHANCERY_CONSUMER_MAX_ATTEMPTS",
                                  "CHANCERY_RETRY_DELAYS_SECONDS")}


def discover_catalogs() -> dict[str, EventCatalog]:
    """Every service's catalog, found on disk (a new service is picked up without editing this file)."""
    return {
        init.parent.parent.name: importlib.import_module(f"services.{init.parent.parent.name}.events").CATALOG
        for init in sorted((ROOT / "services").glob("*/events/__init__.py"))
    }


CATALOGS = discover_catalogs()
EVENT_TYPES = sorted((owner, event_type) for owner, catalog in CATALOGS.items() for event_type in catalog.types)
SCHEMA_FILES = sorted(
    {*DOCS.glob("events/*.json"), *(ROOT / "services").glob("*/events/*.json"),
     *(catalog.schema_dir / name for catalog in CATALOGS.values() for name in catalog.types.values())}
)

# A visit as the visits service publishes it (services/visits/api/visits.py: event_data).
SAMPLE_VISIT = {
    "id": "1f0e4c1a-6a3b-4d43-9a55-3f1d8c2b7e10",
    "delegation_name": "Delegation of the City of Lyon",
    "country": "FR",
    "city": "Lyon",
    "starts_on": "2025-05-12",
    "ends_on": "2025-05-14",
    "purpose": "Twin-city anniversary",
    "host_official": "Deputy Mayor for International Relations",
    "status": "confirmed",
    "status_reason": None,
    "version": 3,
}


# --- reading docs/asyncapi.yaml ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def asyncapi() -> dict:
    return yaml.safe_load(ASYNCAPI_FILE.read_text())


def pointer(document: Any, fragment: str) -> Any:
    """The node a JSON pointer fragment ('/a/b' or '') designates; KeyError/IndexError if there is none."""
    node = document
    for part in [p for p in fragment.split("/") if p != ""]:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(document: dict, node: Any) -> Any:
    """Follow local `$ref`s ('#/...') until a node that is not one."""
    while isinstance(node, dict) and set(node) == {"$ref"} and node["$ref"].startswith("#"):
        node = pointer(document, node["$ref"][1:])
    return node


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs_in(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in refs_in(item)]
    return []


def messages_by_name(asyncapi: dict) -> dict[str, tuple[str, dict]]:
    """Event type (the message's `name`) -> (component key, message)."""
    return {message["name"]: (key, message) for key, message in asyncapi["components"]["messages"].items()}


def channel_key_of(operation: dict) -> str:
    return operation["channel"]["$ref"].removeprefix("#/channels/")


def message_names(asyncapi: dict, node: dict | list) -> set[str]:
    """The event types of a channel's `messages` map or an operation's `messages` list."""
    items = node.values() if isinstance(node, dict) else node
    return {deref(asyncapi, item)["name"] for item in items}


def amqp_binding(asyncapi: dict, channel: dict) -> dict:
    return deref(asyncapi, channel["bindings"])["amqp"]


def queue_channels(asyncapi: dict) -> dict[str, dict]:
    """Queue name -> channel, for every channel that is a queue."""
    channels = {}
    for channel in asyncapi["channels"].values():
        binding = amqp_binding(asyncapi, channel)
        if binding.get("is") == "queue":
            channels[binding["queue"]["name"]] = channel
    return channels


def tag_names(asyncapi: dict, operation: dict) -> set[str]:
    return {deref(asyncapi, tag)["name"] for tag in operation.get("tags", [])}


# --- validating against the schemas, with their relative $refs resolved from the files --------------------

def _retrieve(uri: str) -> Resource:
    path = Path(unquote(urlparse(uri).path))
    if urlparse(uri).scheme != "file" or not path.is_file():
        raise NoSuchResource(ref=uri)
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


def validator_for(asyncapi: dict, location: str) -> Draft202012Validator:
    """A validator for the schema at `location` (a JSON pointer) in docs/asyncapi.yaml."""
    registry = Registry(retrieve=_retrieve).with_resource(ASYNCAPI_URI, DRAFT202012.create_resource(asyncapi))
    return Draft202012Validator({"$ref": f"{ASYNCAPI_URI}#{location}"}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def file_validator(path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(path.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER)


def default_settings(service: str):
    return load_settings(service, DEFAULTS)


# --- the catalogs ----------------------------------------------------------------------------------------

def test_every_service_of_the_suite_has_an_event_catalog_of_its_own():
    assert set(CATALOGS) == set(SERVICES)
    for name, catalog in CATALOGS.items():
        assert catalog.service == name, f"services/{name}/events declares the catalog of {catalog.service!r}"


def test_some_event_type_is_catalogued():
    assert EVENT_TYPES, "no catalog has a type: the data-driven tests below would check nothing"


@pytest.mark.parametrize(("owner", "event_type"), EVENT_TYPES, ids=[t for _, t in EVENT_TYPES])
def test_every_event_type_is_named_chancery_service_record_action_version_with_its_owner_as_service(
        owner, event_type):
    match = NAME.match(event_type)
    assert match, f"{event_type} does not follow chancery.<service>.<record>.<action>.v<N>"
    assert match["service"] == owner, f"{event_type} is in the catalog of {owner}"
    assert TYPE_PATTERN.match(event_type)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[str(p.relative_to(ROOT)) for p in SCHEMA_FILES])
def test_every_schema_file_is_a_valid_draft_2020_12_schema(path):
    schema = json.loads(path.read_text())
    assert schema.get("$schema") == DRAFT_2020_12, f"{path.name} does not declare JSON Schema 2020-12"
    Draft202012Validator.check_schema(schema)


# --- the catalogs and docs/asyncapi.yaml -----------------------------------------------------------------

@pytest.mark.parametrize(("owner", "event_type"), EVENT_TYPES, ids=[t for _, t in EVENT_TYPES])
def test_every_catalogued_event_type_is_a_message_in_asyncapi_with_the_envelope_and_its_data_schema(
        asyncapi, owner, event_type):
    messages = messages_by_name(asyncapi)
    assert event_type in messages, f"docs/asyncapi.yaml has no message named {event_type}"
    _, message = messages[event_type]
    assert message["contentType"] == CONTENT_TYPE
    headers = deref(asyncapi, message["headers"])
    assert "traceparent" in headers["properties"]
    assert "amqp" in deref(asyncapi, message["bindings"])

    parts = message["payload"]["allOf"]
    assert {"$ref": "#/components/schemas/CloudEvent"} in parts, "the payload is not the CloudEvents envelope"
    specific = next(part["properties"] for part in parts if "properties" in part)
    assert specific["type"] == {"const": event_type}
    assert specific["source"] == {"const": f"/chancery/{owner}"}
    data_ref = specific["data"]["$ref"]
    assert not data_ref.startswith(("#", "http")), "data must reference the type's schema file by relative path"
    catalog = CATALOGS[owner]
    assert (DOCS / data_ref).resolve() == (catalog.schema_dir / catalog.types[event_type]).resolve(), (
        f"{event_type}: asyncapi references {data_ref}, the catalog {catalog.types[event_type]}")


@pytest.mark.parametrize(("owner", "event_type"), EVENT_TYPES, ids=[t for _, t in EVENT_TYPES])
def test_every_catalogued_event_type_has_a_channel_on_the_events_exchange_and_its_owner_sends_it(
        asyncapi, owner, event_type):
    channels = {key: channel for key, channel in asyncapi["channels"].items()
                if channel.get("address") == event_type}
    assert len(channels) == 1, f"docs/asyncapi.yaml needs one channel with address {event_type}"
    [(key, channel)] = channels.items()
    binding = amqp_binding(asyncapi, channel)
    assert binding["is"] == "routingKey"
    assert binding["exchange"]["name"] == EVENTS and binding["exchange"]["type"] == "topic"
    assert message_names(asyncapi, channel["messages"]) == {event_type}

    sends = [operation for operation in asyncapi["operations"].values()
             if operation["action"] == "send" and channel_key_of(operation) == key]
    assert sends, f"no send operation on the channel of {event_type}"
    for operation in sends:
        assert owner in tag_names(asyncapi, operation), f"{event_type} is sent by someone other than {owner}"
        relay = deref(asyncapi, operation["bindings"])["amqp"]
        assert relay["deliveryMode"] == 2 and relay["mandatory"] is True
        assert message_names(asyncapi, operation["messages"]) == {event_type}


def test_every_message_in_asyncapi_is_an_event_type_in_some_catalog(asyncapi):
    catalogued = {event_type for _, event_type in EVENT_TYPES}
    listed = set(messages_by_name(asyncapi))
    assert len(listed) == len(asyncapi["components"]["messages"]), "two messages share a name"
    assert listed <= catalogued, f"in docs/asyncapi.yaml but in no catalog: {sorted(listed - catalogued)}"


def test_every_ref_in_asyncapi_resolves_to_an_existing_file_and_node(asyncapi):
    pending = [(ASYNCAPI_FILE, asyncapi, ref) for ref in refs_in(asyncapi)]
    assert pending
    seen: set[tuple[Path, str]] = set()
    while pending:
        source, document, ref = pending.pop()
        if (source, ref) in seen:
            continue
        seen.add((source, ref))
        location, _, fragment = ref.partition("#")
        assert not urlparse(location).scheme, f"{source.name}: {ref} is not a relative reference"
        target, target_document = source, document
        if location:
            target = (source.parent / location).resolve()
            assert target.is_file(), f"{source.relative_to(ROOT)}: {ref} -> {target} does not exist"
            target_document = json.loads(target.read_text())
            pending += [(target, target_document, inner) for inner in refs_in(target_document)]
        try:
            pointer(target_document, fragment)
        except (KeyError, IndexError, ValueError, TypeError):
            pytest.fail(f"{source.relative_to(ROOT)}: {ref} points at nothing in {target.relative_to(ROOT)}")


def test_the_envelope_schema_agrees_with_the_code(asyncapi):
    schema = json.loads(ENVELOPE_SCHEMA_FILE.read_text())
    assert schema["properties"]["type"]["pattern"] == TYPE_PATTERN.pattern
    assert set(schema["required"]) == {"specversion", "id", "source", "type", "time", "subject",
                                       "datacontenttype", "data"}
    envelope_ref = asyncapi["components"]["schemas"]["CloudEvent"]["$ref"]
    assert (DOCS / envelope_ref).resolve() == ENVELOPE_SCHEMA_FILE
    assert asyncapi["defaultContentType"] == CONTENT_TYPE


def test_every_message_example_validates_against_its_payload_and_headers(asyncapi):
    checked = 0
    for key, message in asyncapi["components"]["messages"].items():
        for example in message.get("examples", []):
            payload = validator_for(asyncapi, f"/components/messages/{key}/payload")
            errors = [error.message for error in payload.iter_errors(example["payload"])]
            assert not errors, f"example {example.get('name')} of {message['name']}: {errors}"
            if "headers" in example:
                headers = validator_for(asyncapi, f"/components/messages/{key}/headers")
                headers.validate(example["headers"])
            checked += 1
    assert checked, "no message has an example"


# --- an envelope as the outbox builds it -------------------------------------------------------------------

VISIT_TYPES = [event_type for owner, event_type in EVENT_TYPES if owner == "visits"]


def sample_data(asyncapi: dict, event_type: str) -> dict:
    """A visit for the visit types; for the others, the data of the type's first example in asyncapi."""
    if event_type.startswith("chancery.visits.visit."):
        return SAMPLE_VISIT
    _, message = messages_by_name(asyncapi)[event_type]
    return message["examples"][0]["payload"]["data"]


@pytest.mark.parametrize("event_type", VISIT_TYPES)
def test_an_envelope_built_by_the_outbox_validates_against_the_cloudevent_schema_and_its_data_against_the_type(
        asyncapi, event_type):
    catalog = CATALOGS["visits"]
    outbox = Outbox("visits", PlumbingTables(MetaData()), catalog)
    row = {"event_id": "5b8f1c9e-2a8d-4f7e-9d0b-6f1e2c3a4b5d", "type": event_type,
           "subject": SAMPLE_VISIT["id"], "occurred_at": utcnow(), "data": sample_data(asyncapi, event_type)}
    # As the relay sends it and a consumer reads it.
    body = json.dumps(outbox.envelope(row), separators=(",", ":"), default=str).encode()
    event = parse_cloud_event(body)

    errors = [error.message for error in file_validator(ENVELOPE_SCHEMA_FILE).iter_errors(event)]
    assert not errors, errors
    catalog.validate(event_type, event["data"])
    data_errors = [error.message for error in
                   file_validator(catalog.schema_dir / catalog.types[event_type]).iter_errors(event["data"])]
    assert not data_errors, data_errors

    key, _ = messages_by_name(asyncapi)[event_type]
    validator_for(asyncapi, f"/components/messages/{key}/payload").validate(event)


def test_an_envelope_with_data_that_breaks_the_type_schema_is_refused_by_the_asyncapi_payload(asyncapi):
    messages = messages_by_name(asyncapi)
    event_type = next(t for t in VISIT_TYPES if t in messages)
    outbox = Outbox("visits", PlumbingTables(MetaData()), CATALOGS["visits"])
    event = json.loads(json.dumps(outbox.envelope({
        "event_id": "5b8f1c9e-2a8d-4f7e-9d0b-6f1e2c3a4b5d", "type": event_type, "subject": SAMPLE_VISIT["id"],
        "occurred_at": utcnow(), "data": {**SAMPLE_VISIT, "country": "France"}}), default=str))
    key, _ = messages[event_type]
    payload = validator_for(asyncapi, f"/components/messages/{key}/payload")
    assert not payload.is_valid(event)
    assert not payload.is_valid({**event, "data": SAMPLE_VISIT, "type": "chancery.visits.visit.lost.v1"})


# --- the broker topology -----------------------------------------------------------------------------------

def subscriptions_of(service: str) -> list:
    return importlib.import_module(f"services.{service}.handlers").SUBSCRIPTIONS


def test_the_exchanges_in_asyncapi_are_those_the_topology_declares(asyncapi):
    declared = {exchange.name: exchange.type for service in sorted(CATALOGS) if subscriptions_of(service)
                for exchange in Topology(default_settings(service)).exchanges()}
    described = {}
    for channel in asyncapi["channels"].values():
        binding = amqp_binding(asyncapi, channel)
        if binding.get("is") == "routingKey":
            described[binding["exchange"]["name"]] = binding["exchange"]["type"]
            assert binding["exchange"]["durable"] is True
    assert described == declared


@pytest.mark.parametrize("service", sorted(CATALOGS))
def test_every_consuming_service_has_its_queue_retries_and_dead_letter_queue_in_asyncapi(asyncapi, service):
    subscriptions = subscriptions_of(service)
    queues = queue_channels(asyncapi)
    topology = Topology(default_settings(service))
    if not subscriptions:
        assert topology.queue_name not in queues, f"{service} consumes nothing, yet asyncapi has its queue"
        return
    bindings = [binding for subscription in subscriptions for binding in subscription.bindings]
    expected = {event_type for _, event_type in EVENT_TYPES
                if any(b.exchange == EVENTS and topic_matches(b.pattern, event_type) for b in bindings)}

    main = topology.main_queue(bindings)
    assert main.name in queues, f"docs/asyncapi.yaml has no channel for the queue {main.name}"
    channel = queues[main.name]
    binding = amqp_binding(asyncapi, channel)
    assert binding["queue"]["durable"] is True
    assert binding["x-queue-arguments"] == main.queue_arguments
    requeue = Binding(topology.retry.name, topology.requeue_routing_key)  # retries and replays come back by it
    assert {Binding(b["exchange"], b["routingKey"]) for b in binding["x-bindings"]} == {*bindings, requeue}
    assert message_names(asyncapi, channel["messages"]) == expected

    receives = [operation for operation in asyncapi["operations"].values()
                if operation["action"] == "receive" and channel_key_of(operation) in asyncapi["channels"]
                and asyncapi["channels"][channel_key_of(operation)] is channel]
    assert receives and all(service in tag_names(asyncapi, op) for op in receives)
    assert message_names(asyncapi, receives[0]["messages"]) == expected

    dead_letter = topology.dead_letter_queue()
    assert dead_letter.name in queues, f"docs/asyncapi.yaml has no channel for {dead_letter.name}"
    dlq_binding = amqp_binding(asyncapi, queues[dead_letter.name])
    assert dlq_binding["x-queue-arguments"] == dead_letter.queue_arguments
    assert dlq_binding["x-bindings"] == [{"exchange": dead_letter.exchange.name,
                                          "routingKey": dead_letter.routing_key}]
    for retry in topology.retry_queues():
        assert retry.name in queues, f"docs/asyncapi.yaml has no channel for {retry.name}"
        retry_binding = amqp_binding(asyncapi, queues[retry.name])
        assert retry_binding["x-queue-arguments"] == retry.queue_arguments
        assert retry_binding["x-bindings"] == [{"exchange": retry.exchange.name, "routingKey": retry.routing_key}]


def test_the_server_is_the_local_rabbitmq_and_says_names_take_the_namespace_prefix(asyncapi):
    [server] = asyncapi["servers"].values()
    assert server["protocol"] == "amqp" and server["host"] == "localhost:5672"
    assert "CHANCERY_NAMESPACE" in server["description"]
    inbound = [channel for channel in asyncapi["channels"].values()
               if amqp_binding(asyncapi, channel).get("exchange", {}).get("name") == "chancery.inbound"]
    assert len(inbound) == 1
