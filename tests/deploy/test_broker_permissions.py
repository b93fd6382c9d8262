"""Every broker user of deploy/rabbitmq/definitions.json, on a RabbitMQ node of the test's own booted from
that file: each can do what its service or city system does, through the code that does it, and the
broker refuses what it has no business doing.

Users are read from the definitions: a service's user is named after the service, every other user but
the administrator is a city system, whose queue is `<name>.events` and whose inbound types are those
docs/asyncapi.yaml lists it as the sender of. A user added to the definitions is covered without editing
this file.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pika
import pytest
import yaml
from kombu import Connection, Exchange, Producer

from services.notifications.channels.integration_queues import integration_queue_name, put_in_step
from shared.bus.dead_letters import DeadLetters
from shared.bus.relay import ConfirmingPublisher
from shared.bus.topology import DEAD_LETTER, EVENTS, INBOUND, RETRY, Topology
from shared.config import Settings, load_settings
from shared.suite import SERVICES, spec_of
from tests.support.private_broker import PrivateBroker

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())
USERS = [user["name"] for user in DEFINITIONS["users"] if "administrator" not in user["tags"]]
ADMINISTRATOR = next(user["name"] for user in DEFINITIONS["users"] if "administrator" in user["tags"])
SERVICE_USERS = [name for name in USERS if name in SERVICES]
CITY_SYSTEMS = [name for name in USERS if name not in SERVICES]
INBOUND_SENDERS = {entry["type"]: entry["sender"].split()[0]
                   for entry in yaml.safe_load((ROOT / "docs" / "asyncapi.yaml").read_text())
                   ["channels"]["inbound"]["x-inbound-types"]}
UNKNOWN_INBOUND = "chancery.inbound.unknown.received.v1"
DECOY = "decoy-system"  # a city system without a user here: its queue is always "another system's queue"
BOUND = "chancery.visits.visit.created.v1"  # every city system's queue is bound to this type
ACCESS_REFUSED = 403


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    with PrivateBroker(tmp_path_factory.mktemp("rabbitmq")) as node:
        _declare_everything_as_the_administrator(node)
        yield node


def settings(broker: PrivateBroker, user: str, service: str) -> Settings:
    return load_settings(service, {"CHANCERY_AMQP_URL": broker.url(user), "CHANCERY_NAMESPACE": "",
                                   "CHANCERY_RETRY_DELAYS_SECONDS": "0.05"})


def _declare_everything_as_the_administrator(broker: PrivateBroker) -> None:
    """Every queue a test reaches for exists before any test runs, so that a refusal is a refusal."""
    for service in SERVICES:
        administrator = settings(broker, ADMINISTRATOR, service)
        with Connection(administrator.amqp_url) as connection:
            Topology(administrator).declare_consumer(connection.channel(), bindings(service))
    with Connection(broker.url(ADMINISTRATOR)) as connection:
        for system in [*CITY_SYSTEMS, DECOY]:
            put_in_step(connection.channel(), administrator, system, [BOUND], [], removed=False)


def bindings(service: str):
    return [binding for subscription in spec_of(service).subscriptions for binding in subscription.bindings]


def own_event_type(service: str) -> str:
    return next(iter(spec_of(service).catalog.types), f"chancery.{service}.test.published.v1")


def city_queue(system: str) -> str:
    return f"{system}.events"


def channel_of(broker: PrivateBroker, user: str) -> tuple[pika.BlockingConnection, Any]:
    connection = pika.BlockingConnection(pika.ConnectionParameters(
        "127.0.0.1", broker.port, "/", pika.PlainCredentials(user, user)))
    return connection, connection.channel()


def refused(broker: PrivateBroker, user: str, action: Callable) -> bool:
    """Whether the broker closes the channel with ACCESS_REFUSED when `user` does `action(channel)`."""
    connection, channel = channel_of(broker, user)
    try:
        action(channel)
    except pika.exceptions.ChannelClosedByBroker as closed:
        return closed.reply_code == ACCESS_REFUSED
    finally:
        if connection.is_open:
            connection.close()
    return False


def publish(exchange: str, routing_key: str) -> Callable:
    def action(channel) -> None:
        channel.confirm_delivery()  # a refused publish closes the channel before the confirm
        channel.basic_publish(exchange, routing_key, b"{}", pika.BasicProperties(message_id=str(uuid.uuid4())))
    return action


def read(queue: str) -> Callable:
    """Subscribe to `queue`, as a consumer does (its queues take no basic.get: single active consumer)."""
    return lambda channel: channel.basic_consume(queue, lambda *_: None)


def receive(broker: PrivateBroker, user: str, queue: str, message_id: str, timeout: float = 10) -> bool:
    """Whether `user`, subscribed to `queue`, gets the message `message_id` (others there are dropped)."""
    connection, channel = channel_of(broker, user)
    deadline = time.monotonic() + timeout
    try:
        for method, properties, _ in channel.consume(queue, auto_ack=True, inactivity_timeout=0.2):
            if method is not None and properties.message_id == message_id:
                return True
            if time.monotonic() > deadline:
                return False
    finally:
        connection.close()
    return False


# --- who is who ---

def test_every_service_has_its_own_user_and_every_other_user_is_a_city_system_with_permissions():
    assert sorted(SERVICE_USERS) == sorted(SERVICES)
    permitted = {permission["user"] for permission in DEFINITIONS["permissions"]}
    assert set(USERS) <= permitted
    assert CITY_SYSTEMS, "no city-system user in the definitions"


def test_every_inbound_type_is_sent_by_a_city_system_that_has_a_user():
    assert set(INBOUND_SENDERS.values()) <= set(CITY_SYSTEMS)


# --- services ---

@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_declares_its_exchanges_and_its_queue_with_its_retry_and_dead_letter_queues(broker, service):
    own = settings(broker, service, service)
    with Connection(own.amqp_url) as connection:
        queue = Topology(own).declare_consumer(connection.channel(), bindings(service))
    assert queue.name == f"chancery.{service}"


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_publishes_its_events_with_confirms_as_the_relay_does(broker, service):
    own = settings(broker, service, service)
    publisher = ConfirmingPublisher(own, Topology(own))
    message_id = str(uuid.uuid4())
    try:
        confirmed, unroutable = publisher.publish([(message_id, own_event_type(service), b"{}", {})])
    finally:
        publisher.close()
    assert confirmed == [message_id] and unroutable == []  # notifications' queue takes every event


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_sends_a_message_through_its_retry_queue_and_consumes_it_from_its_own_queue(broker, service):
    own = settings(broker, service, service)
    topology, message_id = Topology(own), str(uuid.uuid4())
    with Connection(own.amqp_url, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel()).publish(b"{}", exchange=topology.retry, message_id=message_id, retry=False,
                                               routing_key=topology.retry_routing_key(own.retry_delays_seconds[0]))
    assert receive(broker, service, topology.queue_name, message_id)


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_dead_letters_a_message_and_replays_it_to_its_own_queue(broker, service):
    own = settings(broker, service, service)
    topology, message_id = Topology(own), str(uuid.uuid4())
    with Connection(own.amqp_url, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel()).publish(b"{}", exchange=topology.dead_letter, routing_key=service,
                                               message_id=message_id, retry=False)
    assert DeadLetters(own).replay({message_id}) == [message_id]
    assert receive(broker, service, topology.queue_name, message_id)


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_cannot_read_another_services_queues_nor_a_city_systems(broker, service):
    others = [name for other in SERVICES if other != service
              for name in (f"chancery.{other}", f"chancery.{other}.dlq")]
    others += [city_queue(system) for system in [*CITY_SYSTEMS, DECOY]]
    readable = [queue for queue in others if not refused(broker, service, read(queue))]
    assert not readable, f"{service} may read {readable}"


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_cannot_publish_another_services_events_nor_inbound_messages(broker, service):
    other = next(name for name in SERVICES if name != service)
    assert refused(broker, service, publish(EVENTS, own_event_type(other)))
    for inbound_type in [*INBOUND_SENDERS, UNKNOWN_INBOUND]:
        assert refused(broker, service, publish(INBOUND, inbound_type)), inbound_type
    assert refused(broker, service, publish("amq.topic", own_event_type(service)))


@pytest.mark.parametrize("service", SERVICE_USERS)
def test_a_services_user_cannot_make_or_delete_another_services_queues(broker, service):
    for other in (name for name in SERVICES if name != service):
        assert refused(broker, service, lambda channel, other=other: channel.queue_declare(
            f"chancery.{other}.extra", durable=True))
        assert refused(broker, service, lambda channel, other=other: channel.queue_delete(f"chancery.{other}"))


def test_the_quorum_queue_policies_of_the_definitions_apply_to_every_services_queue_and_dead_letter_queue(broker):
    policy_of = {queue["name"]: queue["policy"] for queue in broker.list_queues()}
    for service in SERVICES:
        assert policy_of[f"chancery.{service}"] == "chancery-service-queues", service
        assert policy_of[f"chancery.{service}.dlq"] == "chancery-dead-letter-queues", service


def test_the_notifications_user_declares_rebinds_and_deletes_every_city_systems_queue(broker):
    own = settings(broker, "notifications", "notifications")
    with Connection(own.amqp_url) as connection:
        channel = connection.channel()
        for system in [*CITY_SYSTEMS, DECOY, "new-system"]:
            put_in_step(channel, own, system, ["chancery.trips.#"], [], removed=False)
            put_in_step(channel, own, system, [BOUND], ["chancery.trips.#"], removed=False)
            put_in_step(channel, own, system, [], [BOUND], removed=True)
            if system != "new-system":  # as it was, for the other tests
                put_in_step(channel, own, system, [BOUND], [], removed=False)
    assert integration_queue_name(own, "new-system") == city_queue("new-system")


# --- city systems ---

def publish_event_as_administrator(broker: PrivateBroker) -> str:
    message_id = str(uuid.uuid4())
    with Connection(broker.url(ADMINISTRATOR), transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel()).publish(b"{}", exchange=Exchange(EVENTS, "topic", durable=True),
                                               routing_key=BOUND, message_id=message_id, retry=False)
    return message_id


@pytest.mark.parametrize("system", CITY_SYSTEMS)
def test_a_city_system_reads_the_events_bound_to_its_own_queue(broker, system):
    message_id = publish_event_as_administrator(broker)
    assert receive(broker, system, city_queue(system), message_id)


@pytest.mark.parametrize("system", CITY_SYSTEMS)
def test_a_city_system_may_declare_and_bind_a_queue_of_its_own_instead(broker, system):
    connection, channel = channel_of(broker, system)
    try:
        channel.queue_declare(f"{system}.own", durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(f"{system}.own", EVENTS, BOUND)
    finally:
        connection.close()
    assert receive(broker, system, f"{system}.own", publish_event_as_administrator(broker))


@pytest.mark.parametrize("system", CITY_SYSTEMS)
def test_a_city_system_publishes_its_own_inbound_types_with_confirms_and_no_other(broker, system):
    for inbound_type, sender in INBOUND_SENDERS.items():
        assert refused(broker, system, publish(INBOUND, inbound_type)) is (sender != system), inbound_type
    assert refused(broker, system, publish(INBOUND, UNKNOWN_INBOUND))


@pytest.mark.parametrize("system", CITY_SYSTEMS)
def test_a_city_system_cannot_publish_events_nor_read_or_make_any_queue_but_its_own(broker, system):
    assert refused(broker, system, publish(EVENTS, BOUND))
    assert refused(broker, system, publish(EVENTS, f"{system}.anything"))
    others = [f"chancery.{service}" for service in SERVICES] + [f"chancery.{service}.dlq" for service in SERVICES]
    others += [city_queue(other) for other in [*CITY_SYSTEMS, DECOY] if other != system]
    readable = [queue for queue in others if not refused(broker, system, read(queue))]
    assert not readable, f"{system} may read {readable}"
    for queue in (f"chancery.{system}", city_queue(DECOY), "chancery.visits.extra"):
        assert refused(broker, system, lambda channel, queue=queue: channel.queue_declare(queue, durable=True)), queue


def test_a_services_user_cannot_put_a_message_into_another_services_queues_by_any_exchange(broker):
    for service in SERVICE_USERS:
        other = next(name for name in SERVICE_USERS if name != service)
        theirs = Topology(settings(broker, other, other))
        sneaked = {"retry": publish(theirs.retry.name, theirs.retry_routing_key(0.05)),
                   "requeue": publish(theirs.retry.name, theirs.requeue_routing_key),
                   "dead letter": publish(theirs.dead_letter.name, other),
                   "default exchange": publish("", theirs.queue_name),
                   "former shared retry": publish(RETRY, theirs.retry_routing_key(0.05)),
                   "former shared dead letter": publish(DEAD_LETTER, other)}
        accepted = [route for route, action in sneaked.items() if not refused(broker, service, action)]
        assert not accepted, f"{service} put a message into {other}'s queues by: {accepted}"


def former_layout(topology: Topology, bindings_of_service) -> list:
    """The service's queues as brokers from before the per-service exchanges hold them."""
    main = topology.main_queue(bindings_of_service)
    main.queue_arguments = {**main.queue_arguments, "x-dead-letter-exchange": DEAD_LETTER}
    retries = topology.retry_queues()
    for queue in retries:
        queue.exchange = Exchange(RETRY, "direct", durable=True)
        queue.queue_arguments = {**queue.queue_arguments, "x-dead-letter-exchange": "",
                                 "x-dead-letter-routing-key": topology.queue_name}
    main.bindings = {b for b in main.bindings if b.exchange.name != topology.retry.name}
    return [main, *retries]


def test_a_services_user_adopts_its_queues_from_before_the_per_service_exchanges_and_retries_through_them(
        broker, caplog):
    service = SERVICE_USERS[0]
    administrator, own = settings(broker, ADMINISTRATOR, service), settings(broker, service, service)
    topology = Topology(administrator)
    queues = former_layout(topology, bindings(service))
    try:
        with Connection(administrator.amqp_url) as connection:
            channel = connection.channel()
            for queue in queues:
                channel.queue_delete(queue.name)
                queue(channel).declare()
        with Connection(own.amqp_url) as connection, caplog.at_level(logging.WARNING, "chancery.bus"):
            Topology(own).declare_consumer(connection.channel(), bindings(service))
        assert {queue.name for queue in queues} == {record.args[0] for record in caplog.records}
        message_id = str(uuid.uuid4())
        with Connection(own.amqp_url, transport_options={"confirm_publish": True}) as connection:
            Producer(connection.channel()).publish(b"{}", exchange=topology.retry, message_id=message_id,
                                                   routing_key=topology.retry_routing_key(0.05), retry=False)
        assert receive(broker, service, topology.queue_name, message_id)
    finally:
        with Connection(administrator.amqp_url) as connection:
            channel = connection.channel()
            for queue in queues:
                channel.queue_delete(queue.name)
            topology.declare_consumer(channel, bindings(service))
