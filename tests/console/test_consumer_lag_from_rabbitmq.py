"""The operators' page shows each service's consumer lag as RabbitMQ's own rabbitmq_prometheus plugin exports it
(decisions 0098, 0216), read over HTTP from real nodes: private ones with the plugin on free ports and the
deployments' `prometheus.*` settings, never the machine's shared broker. Every service's queue is declared as its
worker declares it, in a namespace of the test's own; messages nobody consumes wait in the visits and trips queues,
others in visits' dead-letter queue. The console, in-process behind Flask's test client with nothing mocked
between it and the plugin, shows exactly each queue's count under the broker URL docker compose sets (one node)
and under those Kubernetes sets (one per node: a cluster of two whose nodes lead different queues, the third
address not answering). One node's address alone shows the queues the other leads as unknown, never as 0."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pika
import pytest
import yaml
from kombu import Connection

from services.console.app import create_app
from shared.bus.topology import Topology
from shared.config import load_settings
from shared.suite import SERVICES
from tests.support.private_broker import PrivateBroker
from tests.support.processes import REPO, free_port

pytestmark = pytest.mark.integration
NAMESPACE = f"lag{uuid.uuid4().hex[:6]}"
WAITING = {"visits": 7, "trips": 5}  # every other service's queue is empty
DEAD = 3  # in visits' dead-letter queue, which is not lag
EXPECTED = {service: WAITING.get(service, 0) for service in SERVICES}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROW = re.compile(r'<tr id="service-(\w+)">(.*?)</tr>', re.S)
LAG = re.compile(r"Waiting: (\d+)")
# A quorum queue's figures reach the plugin on its leader's tick (5 s); a loaded machine is slower.
SHOWN_WITHIN_SECONDS = 60


def deployed_broker_metrics_urls() -> dict[str, str]:
    """CONSOLE_BROKER_METRICS_URL as docker compose (one node) and Kubernetes (one URL per node) set it."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    kubernetes = next(document for document in yaml.safe_load_all((REPO / "deploy/k8s/base/console.yaml").read_text())
                      if document and document["kind"] == "Deployment")
    web = kubernetes["spec"]["template"]["spec"]["containers"][0]
    environment = {entry["name"]: entry.get("value") for entry in web["env"]}
    return {"docker compose": compose["services"]["console"]["environment"]["CONSOLE_BROKER_METRICS_URL"],
            "Kubernetes": environment["CONSOLE_BROKER_METRICS_URL"]}


def deployed_prometheus_settings() -> str:
    """The broker's `prometheus.*` lines as docker compose configures it."""
    lines = (REPO / "deploy/rabbitmq/rabbitmq.conf").read_text().splitlines()
    return "".join(f"{line}\n" for line in lines if line.startswith("prometheus."))


def node(workdir, cookie: str = "") -> PrivateBroker:
    return PrivateBroker(workdir, configuration=deployed_prometheus_settings(), prometheus=True, cookie=cookie)


@pytest.fixture(scope="module")
def single_node(tmp_path_factory) -> Iterator[list[PrivateBroker]]:
    with node(tmp_path_factory.mktemp("rabbitmq")) as broker:
        fill([broker])
        yield [broker]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[list[PrivateBroker]]:
    workdir, cookie = tmp_path_factory.mktemp("rabbitmq-cluster"), uuid.uuid4().hex
    with node(workdir / "0", cookie) as first, node(workdir / "1", cookie) as second:
        second.join(first)
        fill([first, second])
        yield [first, second]


def fill(nodes: list[PrivateBroker]) -> None:
    """Every service's queue declared through a node in turn, which leads it (visits the first, trips the
    second), then the messages that wait in it."""
    for index, service in enumerate(SERVICES):
        leader = nodes[index % len(nodes)]
        topology = Topology(load_settings(service, {"CHANCERY_AMQP_URL": leader.url("guest"),
                                                    "CHANCERY_NAMESPACE": NAMESPACE}))
        with Connection(leader.url("guest")) as connection:
            topology.declare_consumer(connection.channel(), [])
        publish(leader, topology.queue_name, WAITING.get(service, 0))
        if service == "visits":
            publish(leader, topology.dead_letter_queue_name, DEAD)
        assert leader_of(leader, topology.queue_name) == leader.node


def leader_of(broker: PrivateBroker, queue: str) -> str:
    listed = json.loads(broker.ctl("list_queues", "name", "leader", "--formatter", "json"))
    return next(entry["leader"] for entry in listed if entry["name"] == queue)


def publish(broker: PrivateBroker, queue: str, count: int) -> None:
    """`count` messages straight into `queue`, each confirmed by the broker."""
    connection = pika.BlockingConnection(pika.ConnectionParameters(
        "127.0.0.1", broker.port, "/", pika.PlainCredentials("guest", "guest")))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for _ in range(count):
            channel.basic_publish("", queue, b"{}", pika.BasicProperties(message_id=str(uuid.uuid4())))
    finally:
        connection.close()


def as_deployed(nodes: list[PrivateBroker], deployed: str) -> str:
    """The deployed broker URLs (one per node) at their path and query on the private nodes in order; an address
    beyond them goes to a port nobody listens on."""
    paths = [urlsplit(url)._replace(scheme="", netloc="").geturl() for url in deployed.split()]
    return " ".join(nodes[index].metrics_url(path) if index < len(nodes) else f"http://127.0.0.1:{free_port()}{path}"
                    for index, path in enumerate(paths))


@contextmanager
def operator_of_a_console_reading(broker_metrics_url: str, tmp_path) -> Iterator:
    """The console in-process, an operator signed in; every service's address is a port nobody listens on, so
    their probes fail at once."""
    app = create_app({"CONSOLE_DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
                      "CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_NAMESPACE": NAMESPACE,
                      "CONSOLE_BROKER_METRICS_URL": broker_metrics_url,
                      **{f"CONSOLE_{service.upper()}_URL": f"http://127.0.0.1:{free_port()}" for service in SERVICES}})
    try:
        client = app.test_client()
        token = CSRF.search(client.get("/sign-in").text).group(1)
        signed_in = client.post("/sign-in/development", data={"csrf_token": token, "name": "Otto Operator",
                                                               "roles": ["operator"]})
        assert signed_in.status_code == 302
        yield client
    finally:
        app.extensions["console.api"].threads.shutdown()


def lags_shown(operator) -> dict[str, int | None]:
    """Each service's consumer lag as its row of the page shows it; None where it shows none."""
    page = operator.get("/operators")
    assert page.status_code == 200
    return {service: int(lag.group(1)) if (lag := LAG.search(cells)) else None
            for service, cells in ROW.findall(page.text)}


def lags_once_read(operator, expected: dict[str, int | None]) -> dict[str, int | None]:
    """The lags the page shows once they are `expected` (each queue's figure reaches the plugin on its own tick),
    or the last it showed after SHOWN_WITHIN_SECONDS."""
    deadline = time.monotonic() + SHOWN_WITHIN_SECONDS
    while (shown := lags_shown(operator)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return shown


@pytest.mark.parametrize(("deployment", "brokers"), [("docker compose", "single_node"), ("Kubernetes", "cluster")])
def test_the_operators_page_shows_the_messages_waiting_in_each_services_queue_as_rabbitmqs_plugin_exports_them(
        deployment, brokers, request, tmp_path):
    url = as_deployed(request.getfixturevalue(brokers), deployed_broker_metrics_urls()[deployment])
    with operator_of_a_console_reading(url, tmp_path) as operator:
        assert lags_once_read(operator, EXPECTED) == EXPECTED


def test_one_nodes_address_shows_the_lag_of_the_queues_it_leads_and_the_others_as_unknown(cluster, tmp_path):
    led_by_the_other = {service for index, service in enumerate(SERVICES) if index % 2}
    expected = {service: None if service in led_by_the_other else lag for service, lag in EXPECTED.items()}
    with operator_of_a_console_reading(cluster[0].metrics_url("/metrics/detailed?family=queue_coarse_metrics"),
                                       tmp_path) as operator:
        assert lags_once_read(operator, expected) == expected
