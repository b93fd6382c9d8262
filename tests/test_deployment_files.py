"""Structural checks of docker-compose.yml and deploy/: no Docker engine needed.

They keep the deployment files in step with the code and the README: ports, environment
variables, metric names and mounted files.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import REGISTRY

from shared import observability
from shared.bus.topology import Topology
from shared.config import load_settings
from shared.suite import SERVICES, spec_of

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ALERTS_FILE = ROOT / "deploy" / "prometheus" / "alerts.yml"
PROMETHEUS_FILE = ROOT / "deploy" / "prometheus" / "prometheus.yml"
DASHBOARD_FILES = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))
README_FILE = ROOT / "README.md"
RUNBOOK_FILE = ROOT / "docs" / "operations.md"

# The ports of the README's environment table (<NAME>_PORT defaults).
PORTS = {"visits": 8101, "trips": 8102, "contracts": 8103, "outreach": 8104, "notifications": 8105}
WORKER_METRICS_PORT = 9100

# The metrics the code exports, from its own list: a metric renamed in the code fails here.
EXPORTED_METRICS = frozenset(observability.exported_metrics())
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
METRIC_NAME = re.compile(r"chancery_[a-z_]+")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def chancery_containers(services: dict) -> dict[str, dict]:
    """The containers that run Chancery code: <name>, <name>-worker and <name>-migrate."""
    names = {f"{name}{suffix}" for name in PORTS for suffix in ("", "-worker", "-migrate")}
    return {key: value for key, value in services.items() if key in names}


def environment_of(container: dict) -> dict[str, str]:
    env = container.get("environment") or {}
    if isinstance(env, list):  # the "- NAME=value" form
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def command_of(container: dict) -> list[str]:
    command = container.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def bind_mount_sources(container: dict) -> list[str]:
    """Host paths of bind mounts (short "src:dst[:mode]" or long syntax); named volumes skipped."""
    sources = []
    for volume in container.get("volumes") or []:
        if isinstance(volume, str):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/", "~")):
                sources.append(source)
        elif volume.get("type") == "bind":
            sources.append(volume["source"])
    return sources


def metric_names(text: str) -> set[str]:
    names = set()
    for name in METRIC_NAME.findall(text):
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in EXPORTED_METRICS:
                name = name[: -len(suffix)]
                break
        names.add(name)
    return names


def test_every_service_has_a_web_worker_and_migration_container(services):
    for name in PORTS:
        assert name in services, f"no web container for {name}"
        assert f"{name}-worker" in services, f"no worker container for {name}"
        assert f"{name}-migrate" in services, f"no migration container for {name}"
        assert command_of(services[f"{name}-migrate"]) == ["chancery", "migrate", name]
        assert str(services[f"{name}-migrate"].get("restart", "no")) == "no"
        assert command_of(services[f"{name}-worker"]) == ["chancery", "worker", name]
        assert "command" not in services[name], "the web container runs the Dockerfile's CMD"


def test_every_build_context_and_dockerfile_exists(services):
    built = {key: value for key, value in services.items() if "build" in value}
    assert set(chancery_containers(services)) <= set(built)
    for key, container in built.items():
        build = container["build"]
        if isinstance(build, str):
            build = {"context": build}
        context = (ROOT / build.get("context", ".")).resolve()
        assert context.is_dir(), f"{key}: build context {context} does not exist"
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), f"{key}: {dockerfile} does not exist"


def test_each_dockerfile_builds_its_own_service_from_the_repository_root(services):
    for name in PORTS:
        build = services[name]["build"]
        assert build["context"] == "."
        assert build["dockerfile"] == f"services/{name}/Dockerfile"
        text = (ROOT / build["dockerfile"]).read_text()
        assert re.search(rf"^ENV\b.*\bCHANCERY_SERVICE={name}\b", text, re.M | re.S)
        assert f'"services.{name}.app:create_app()"' in text
        assert re.search(r"^USER\s+(?!root\b|0\b)\S+", text, re.M), f"{name}: runs as root"


def test_web_containers_publish_the_documented_port_and_the_dockerfile_exposes_it(services):
    for name, port in PORTS.items():
        web = services[name]
        assert f"{port}:{port}" in [str(item) for item in web.get("ports", [])], name
        assert environment_of(web).get(f"{name.upper()}_PORT") == str(port), name
        dockerfile = (ROOT / "services" / name / "Dockerfile").read_text()
        exposed = {
            int(p.split("/")[0])
            for line in re.findall(r"^EXPOSE\s+(.+)$", dockerfile, re.M)
            for p in line.split()
        }
        assert port in exposed, f"services/{name}/Dockerfile does not EXPOSE {port}"


def test_web_and_worker_wait_for_migration_broker_and_database(services):
    for name in PORTS:
        for key in (name, f"{name}-worker"):
            depends = services[key]["depends_on"]
            assert depends[f"{name}-migrate"]["condition"] == "service_completed_successfully", key
            assert depends["rabbitmq"]["condition"] == "service_healthy", key
            assert depends["postgres"]["condition"] == "service_healthy", key
    assert "healthcheck" in services["rabbitmq"]
    assert "healthcheck" in services["postgres"]


def test_each_service_gets_its_own_database(services):
    init_sql = (ROOT / "deploy" / "postgres" / "init.sql").read_text()
    for name in PORTS:
        for key in (name, f"{name}-worker", f"{name}-migrate"):
            env = environment_of(services[key])
            url = env.get(f"{name.upper()}_DATABASE_URL", "")
            assert url.endswith(f"@postgres:5432/{name}"), f"{key}: {url!r}"
            others = [other for other in PORTS if other != name]
            assert not [o for o in others if f"{o.upper()}_DATABASE_URL" in env], key
        assert re.search(rf"CREATE DATABASE {name}\b", init_sql, re.I), f"init.sql lacks {name}"


def test_workers_serve_metrics_on_the_port_prometheus_scrapes(services):
    scrape = yaml.safe_load(PROMETHEUS_FILE.read_text())
    targets = {
        target
        for job in scrape["scrape_configs"]
        for config in job["static_configs"]
        for target in config["targets"]
    }
    for name, port in PORTS.items():
        worker_env = environment_of(services[f"{name}-worker"])
        assert worker_env.get("CHANCERY_WORKER_METRICS_PORT") == str(WORKER_METRICS_PORT)
        assert f"{name}-worker:{WORKER_METRICS_PORT}" in targets
        assert f"{name}:{port}" in targets


def test_every_environment_variable_used_in_compose_is_documented_in_the_readme(services):
    used = set()
    for container in chancery_containers(services).values():
        used |= set(environment_of(container))
    assert used and all(ENV_NAME.match(name) for name in used), sorted(used)
    assert README_FILE.is_file(), "README.md with its environment table does not exist yet"
    readme = README_FILE.read_text()
    undocumented = sorted(name for name in used if not re.search(rf"\b{name}\b", readme))
    # <NAME>_DATABASE_URL and <NAME>_PORT may be documented once as a pattern.
    undocumented = [
        name
        for name in undocumented
        if not (
            re.match(r"^[A-Z]+_(DATABASE_URL|PORT)$", name)
            and re.search(r"<(?:NAME|SERVICE)>_" + name.split("_", 1)[1], readme)
        )
    ]
    assert not undocumented, f"used in docker-compose.yml but not in README.md: {undocumented}"


def metrics_the_code_defines() -> set[str]:
    """Every chancery_ metric registered once every service (web, worker loops, handlers) and the console are
    imported."""
    for service in SERVICES:
        spec_of(service)
    importlib.import_module("services.console.upstream")
    defined = {f"{family.name}_total" if family.type == "counter" else family.name  # a counter's family
               for family in REGISTRY.collect() if family.name.startswith("chancery_")}  # name lacks _total
    return defined | {family.name for family in observability.OutboxCollector("visits", lambda: (0, 0.0)).collect()}


def test_the_exported_metrics_list_names_exactly_the_metrics_the_code_defines():
    defined = metrics_the_code_defines()
    assert "chancery_notification_deliveries_total" in defined, "a service's own metric is not seen"
    assert len(observability.exported_metrics()) == len(EXPORTED_METRICS), "a name is listed twice"
    assert defined == EXPORTED_METRICS, (
        f"defined but not listed: {sorted(defined - EXPORTED_METRICS)}; "
        f"listed but not defined: {sorted(EXPORTED_METRICS - defined)}")


def test_alert_rules_use_only_exported_metrics():
    text = ALERTS_FILE.read_text()
    used = metric_names(text)
    assert used, "no chancery_ metric in alerts.yml"
    assert used <= EXPORTED_METRICS, f"unknown metrics in alerts.yml: {sorted(used - EXPORTED_METRICS)}"


def test_alert_rules_carry_a_severity_and_a_runbook_link():
    rules = [rule for group in yaml.safe_load(ALERTS_FILE.read_text())["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in rules}
    assert {"OutboxStuck", "DeadLettersAppearing", "HighErrorRatio", "ServiceDown"} <= names
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        expected = f"docs/operations.md#{rule['alert'].lower()}"
        assert rule["annotations"]["runbook_url"] == expected, rule["alert"]


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_alert_runbook_anchor_is_a_heading_of_the_runbook():
    rules = [rule for group in yaml.safe_load(ALERTS_FILE.read_text())["groups"] for rule in group["rules"]]
    assert RUNBOOK_FILE.is_file(), "docs/operations.md does not exist"
    runbook = re.sub(r"^```.*?^```", "", RUNBOOK_FILE.read_text(), flags=re.M | re.S)  # not code blocks
    anchors = {github_anchor(heading) for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", runbook, re.M)}
    for rule in rules:
        path, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        assert (ROOT / path).resolve() == RUNBOOK_FILE.resolve(), rule["alert"]
        assert anchor in anchors, f"{rule['alert']}: docs/operations.md has no heading for #{anchor}"
        assert re.search(rf"^## {re.escape(rule['alert'])}$", runbook, re.M), f"no '## {rule['alert']}' heading"


@pytest.mark.parametrize("dashboard_file", DASHBOARD_FILES, ids=lambda path: path.stem)
def test_every_dashboard_is_valid_json_and_uses_only_exported_metrics(dashboard_file):
    text = dashboard_file.read_text()
    dashboard = json.loads(text)
    assert dashboard["uid"] and dashboard["title"]
    panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    assert panels and all(panel.get("targets") for panel in panels)
    used = metric_names(text)
    assert used, "the dashboard reads no chancery_ metric"
    assert used <= EXPORTED_METRICS, f"unknown metrics in the dashboard: {sorted(used - EXPORTED_METRICS)}"


def test_an_unexported_metric_in_a_query_is_caught():
    used = metric_names('sum(rate(chancery_http_requests_total[5m])) / sum(chancery_made_up_total)')
    assert used - EXPORTED_METRICS == {"chancery_made_up_total"}


def test_every_file_mounted_into_a_container_exists(services):
    for key, container in services.items():
        for source in bind_mount_sources(container):
            path = (ROOT / source).resolve()
            assert path.exists(), f"{key} mounts {source}, which does not exist"


def test_the_broker_definitions_declare_the_suite_exchanges_and_each_consuming_services_own():
    definitions = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())
    exchanges = {exchange["name"]: exchange for exchange in definitions["exchanges"]}
    expected = {exchange.name: exchange.type for service in SERVICES if spec_of(service).subscriptions
                for exchange in Topology(load_settings(service, {"CHANCERY_NAMESPACE": ""})).exchanges()}
    assert set(exchanges) == set(expected)
    for name, kind in expected.items():
        assert exchanges[name]["type"] == kind and exchanges[name]["durable"] is True, name
    for permission in definitions["permissions"]:
        for key in ("configure", "write", "read"):
            re.compile(permission[key])
    config = (ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    assert re.search(r"^load_definitions\s*=\s*/etc/rabbitmq/definitions.json$", config, re.M)
