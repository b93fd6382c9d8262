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


# --- the identity provider (Keycloak) and the realm it imports -------------------------------------------

REALM_FILE = ROOT / "deploy" / "keycloak" / "chancery-realm.json"
REALM = json.loads(REALM_FILE.read_text())


def realm_client(client_id: str) -> dict:
    return next(client for client in REALM["clients"] if client["clientId"] == client_id)


def test_keycloak_imports_the_chancery_realm_at_start():
    keycloak = COMPOSE["services"]["keycloak"]
    assert keycloak["image"].startswith("quay.io/keycloak/keycloak:") and not keycloak["image"].endswith(":latest")
    assert keycloak["command"][0] == "start-dev" and "--import-realm" in keycloak["command"]
    assert "./deploy/keycloak/chancery-realm.json:/opt/keycloak/data/import/chancery-realm.json:ro" \
        in keycloak["volumes"]
    assert keycloak["environment"]["KC_HOSTNAME"] + "/realms/" + REALM["realm"] == ISSUER


ISSUER = "http://keycloak:8080/realms/chancery"


def test_the_realm_roles_are_exactly_the_suites_roles():
    from shared.http.auth import ROLES
    assert {role["name"] for role in REALM["roles"]["realm"]} == set(ROLES)


def test_the_tokens_carry_roles_department_and_the_chancery_audience_the_services_require():
    for client_id in ("chancery-console", "chancery-cli"):
        mappers = {mapper["protocolMapper"]: mapper["config"] for mapper in realm_client(client_id)["protocolMappers"]}
        roles = mappers["oidc-usermodel-realm-role-mapper"]
        assert roles["claim.name"] == "roles" and roles["multivalued"] == "true"
        assert roles["access.token.claim"] == roles["id.token.claim"] == "true"
        department = mappers["oidc-usermodel-attribute-mapper"]
        assert department["user.attribute"] == department["claim.name"] == "department"
        assert department["access.token.claim"] == "true"
        assert mappers["oidc-audience-mapper"]["included.custom.audience"] == "chancery"
        assert mappers["oidc-audience-mapper"]["access.token.claim"] == "true"
    # Keycloak 24+ drops attributes its user profile does not declare.
    profile = json.loads(REALM["components"]["org.keycloak.userprofile.UserProfileProvider"][0]["config"][
        "kc.user.profile.config"][0])
    assert "department" in {attribute["name"] for attribute in profile["attributes"]}


def test_the_console_client_is_confidential_and_returns_to_the_consoles_callback_and_signed_out_page():
    client = realm_client("chancery-console")
    console = COMPOSE["services"]["console"]["environment"]
    port = console.get("CONSOLE_PORT", "8100")
    assert client["publicClient"] is False and client["standardFlowEnabled"] is True
    assert client["directAccessGrantsEnabled"] is False and client["implicitFlowEnabled"] is False
    assert client["redirectUris"] == [f"http://localhost:{port}/sign-in/callback"]
    assert client["attributes"]["post.logout.redirect.uris"] == f"http://localhost:{port}/signed-out"
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    assert f"{port}:{port}" in COMPOSE["services"]["console"]["ports"]
    assert console["CONSOLE_OIDC_CLIENT_ID"] == "chancery-console"
    assert console["CONSOLE_OIDC_CLIENT_SECRET"].endswith(client["secret"] + "}")
    assert console["CHANCERY_OIDC_ISSUER"] == ISSUER
    assert COMPOSE["services"]["console"]["depends_on"]["keycloak"]["condition"] == "service_healthy"


def test_the_console_routes_the_client_names_exist():
    from services.console.app import create_app
    rules = {rule.rule for rule in create_app({"CHANCERY_ENV": "development"}).url_map.iter_rules()}
    assert {"/sign-in/callback", "/signed-out"} <= rules


def test_every_service_verifies_keycloak_tokens_by_its_jwks_issuer_and_audience():
    for service in SERVICE_PORTS:
        for container in (service, f"{service}-worker"):
            environment = COMPOSE["services"][container]["environment"]
            assert environment["CHANCERY_JWKS_URL"] == f"{ISSUER}/protocol/openid-connect/certs", container
            assert environment["CHANCERY_JWT_ISSUER"] == ISSUER, container
            assert environment["CHANCERY_JWT_AUDIENCE"] == "chancery", container


def test_the_example_users_cover_the_offices_work_and_the_department_head_has_a_department():
    users = {user["username"]: user for user in REALM["users"]}
    assert {"protocol", "travel", "mayor-office", "operator", "department-head"} <= {
        role for user in users.values() for role in user["realmRoles"]}
    heads = [user for user in users.values() if "department-head" in user["realmRoles"]]
    assert heads and all(user["attributes"]["department"][0] for user in heads)


def test_prometheus_scrapes_the_console_and_the_console_alerts_read_its_job():
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: [target for config in job["static_configs"] for target in config["targets"]]
            for job in scrape["scrape_configs"]}
    assert jobs["console"] == ["console:8100"]
    assert 'up{job="console"}' in (ROOT / "deploy" / "prometheus" / "alerts.yml").read_text()
