"""docker-compose.yml and the broker definitions it loads agree (no Docker engine needed)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import urlparse

import yaml

from shared.config import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DEFINITIONS = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())


def password_matches(password: str, password_hash: str) -> bool:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt."""
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


def test_each_service_container_connects_to_the_broker_as_its_own_user_with_the_definitions_password():
    users = {user["name"]: user for user in DEFINITIONS["users"]}
    for service in SERVICE_PORTS:
        for container in (service, f"{service}-worker", f"{service}-migrate"):
            url = urlparse(COMPOSE["services"][container]["environment"]["CHANCERY_AMQP_URL"])
            assert url.username == service and url.hostname == "rabbitmq", container
            assert password_matches(url.password, users[service]["password_hash"]), container


def test_every_broker_user_but_the_administrator_has_permissions_and_no_user_is_an_administrator_by_accident():
    permitted = {permission["user"] for permission in DEFINITIONS["permissions"]}
    for user in DEFINITIONS["users"]:
        assert user["name"] in permitted, user["name"]
        assert ("administrator" in user["tags"]) == (user["name"] == "guest"), user["name"]


def test_the_password_check_rejects_a_wrong_password():
    visits = next(user for user in DEFINITIONS["users"] if user["name"] == "visits")
    assert not password_matches("guest", visits["password_hash"])


def test_prometheus_scrapes_rabbitmq_per_queue_metrics_which_the_consumer_stalled_alert_reads():
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    targets = {target for job in scrape["scrape_configs"] for config in job["static_configs"]
               for target in config["targets"]}
    assert "rabbitmq:15692" in targets
    assert "rabbitmq_prometheus" in (ROOT / "deploy" / "rabbitmq" / "enabled_plugins").read_text()
    assert "prometheus.return_per_object_metrics = true" in (ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    mounts = COMPOSE["services"]["rabbitmq"]["volumes"]
    assert "./deploy/rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins:ro" in mounts
    assert "rabbitmq_queue_messages_ready" in (ROOT / "deploy" / "prometheus" / "alerts.yml").read_text()


def test_web_and_worker_containers_are_healthy_only_when_ready_like_on_kubernetes():
    for service, port in SERVICE_PORTS.items():
        check = " ".join(COMPOSE["services"][service]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/readyz" in check, service
        worker = COMPOSE["services"][f"{service}-worker"]
        metrics_port = worker["environment"]["CHANCERY_WORKER_METRICS_PORT"]
        assert f"http://127.0.0.1:{metrics_port}/readyz" in " ".join(worker["healthcheck"]["test"]), service


def test_the_collector_sends_traces_to_jaeger_and_grafana_gets_prometheus_and_the_dashboards():
    services = COMPOSE["services"]
    collector = yaml.safe_load((ROOT / "deploy" / "otel" / "collector.yaml").read_text())
    assert collector["exporters"]["otlp/jaeger"]["endpoint"] == "jaeger:4317"
    assert "otlp/jaeger" in collector["service"]["pipelines"]["traces"]["exporters"]
    assert services["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    for service in SERVICE_PORTS:
        assert services[service]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    datasource = yaml.safe_load(
        (ROOT / "deploy" / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in services["grafana"]["volumes"]
    assert "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in services["prometheus"]["volumes"]
