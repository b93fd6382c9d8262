"""The operators' page shows each service's consumer lag as RabbitMQ's own rabbitmq_prometheus plugin exports it
(decision 0098), read over HTTP from a real node: a private one with the plugin on a free port and the
deployments' `prometheus.*` settings, never the machine's shared broker. Every service's queue is declared as its
worker declares it, in a namespace of the test's own; messages nobody consumes wait in the visits queue and others
in its dead-letter queue. The console, in-process behind Flask's test client with nothing mocked between it and
the plugin, shows exactly the visits queue's count, 0 for the others, under the broker URL docker compose sets
and under those Kubernetes sets (one per node, the others not answering here; decision 0216)."""

from __future__ import annotations

import re
import uuid
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
from tests.support.processes import REPO, eventually, free_port

pytestmark = pytest.mark.integration
NAMESPACE = f"lag{uuid.uuid4().hex[:6]}"
WAITING = 7  # in the visits queue
DEAD = 3  # in its dead-letter queue, which is not lag
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROW = re.compile(r'<tr id="service-(\w+)">(.*?)</tr>', re.S)
LAG = re.compile(r"Waiting: (\d+)")
# The quorum queue's figures reach the plugin on the leader's tick (5 s); a loaded machine is slower.
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


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    with PrivateBroker(tmp_path_factory.mktemp("rabbitmq"), configuration=deployed_prometheus_settings(),
                       prometheus=True) as node:
        visits = declare_every_services_queue(node)
        publish(node, visits.queue_name, WAITING)
        publish(node, visits.dead_letter_queue_name, DEAD)
        yield node


def declare_every_services_queue(node: PrivateBroker) -> Topology:
    topologies = {service: Topology(load_settings(service, {"CHANCERY_AMQP_URL": node.url("guest"),
                                                            "CHANCERY_NAMESPACE": NAMESPACE}))
                  for service in SERVICES}
    with Connection(node.url("guest")) as connection:
        for topology in topologies.values():
            topology.declare_consumer(connection.channel(), [])
    return topologies["visits"]


def publish(node: PrivateBroker, queue: str, count: int) -> None:
    """`count` messages straight into `queue`, each confirmed by the broker."""
    connection = pika.BlockingConnection(pika.ConnectionParameters(
        "127.0.0.1", node.port, "/", pika.PlainCredentials("guest", "guest")))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for _ in range(count):
            channel.basic_publish("", queue, b"{}", pika.BasicProperties(message_id=str(uuid.uuid4())))
    finally:
        connection.close()


def as_deployed(node: PrivateBroker, deployed: str) -> str:
    """The deployed broker URLs (one per node) with the first node the private one, at the deployed path and
    query, and every other a port nobody listens on: a node that does not answer must hide nothing."""
    first, *others = [urlsplit(url)._replace(scheme="", netloc="").geturl() for url in deployed.split()]
    return " ".join([node.metrics_url(first), *(f"http://127.0.0.1:{free_port()}{other}" for other in others)])


def operator_of_a_console_reading(node: PrivateBroker, deployed: str, tmp_path):
    """The console in-process, reading the private node's plugin as deployed; every service's address is a port
    nobody listens on, so their probes fail at once."""
    app = create_app({"CONSOLE_DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
                      "CHANCERY_TRACES_EXPORTER": "none", "CHANCERY_NAMESPACE": NAMESPACE,
                      "CONSOLE_BROKER_METRICS_URL": as_deployed(node, deployed),
                      **{f"CONSOLE_{service.upper()}_URL": f"http://127.0.0.1:{free_port()}" for service in SERVICES}})
    client = app.test_client()
    token = CSRF.search(client.get("/sign-in").text).group(1)
    signed_in = client.post("/sign-in/development", data={"csrf_token": token, "name": "Otto Operator",
                                                           "roles": ["operator"]})
    assert signed_in.status_code == 302
    return app, client


def lags_shown(client) -> dict[str, int | None]:
    """Each service's consumer lag as its row of the page shows it; None where it shows none."""
    page = client.get("/operators")
    assert page.status_code == 200
    return {service: int(lag.group(1)) if (lag := LAG.search(cells)) else None
            for service, cells in ROW.findall(page.text)}


def every_lag_read(lags: dict[str, int | None]) -> dict[str, int | None]:
    """`lags` once every queue's figure has reached the plugin (each on its own tick) and visits' counts what was
    published; nothing before."""
    return lags if None not in lags.values() and lags.get("visits") == WAITING else {}


@pytest.mark.parametrize("deployment", ["docker compose", "Kubernetes"])
def test_the_operators_page_shows_the_messages_waiting_in_each_services_queue_as_rabbitmqs_plugin_exports_them(
        broker, deployment, tmp_path):
    app, operator = operator_of_a_console_reading(broker, deployed_broker_metrics_urls()[deployment], tmp_path)
    try:
        shown = eventually(lambda: every_lag_read(lags_shown(operator)), timeout=SHOWN_WITHIN_SECONDS, interval=0.5,
                           message=f"every service's lag, visits' {WAITING}")
        assert shown == {service: WAITING if service == "visits" else 0 for service in SERVICES}
    finally:
        app.extensions["console.api"].threads.shutdown()
