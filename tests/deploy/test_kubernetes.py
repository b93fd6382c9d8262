"""The Kubernetes manifests (deploy/k8s): rendered with `kubectl kustomize`, every overlay, checked offline.

Core kinds are validated against the Kubernetes OpenAPI schemas (kubernetes-validate, strict: unknown
fields fail); custom resources against the structural schemas in crd_schemas.py. The rest checks
that the pieces fit: selectors find pods, references find objects, each service reaches only what
it must, no secret value is in the repository, and the broker topology is the one compose loads.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

from shared.bus.topology import Topology
from shared.config import SERVICE_PORTS, load_settings
from shared.suite import PORTS
from tests.deploy.crd_schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
KUBERNETES_VERSION = "1.30.0"  # the oldest Kubernetes the manifests promise to run on
SERVICES = tuple(SERVICE_PORTS)
WORKER_METRICS_PORT = 9100
DEFINITIONS = json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())
RUNBOOK = (ROOT / "docs" / "operations.md").read_text()
README = (ROOT / "README.md").read_text()

# Secrets the manifests read but never contain: made by CloudNativePG (<service>-db-app) or by
# the platform's operator as docs/operations.md "Secrets" says.
OPERATOR_MADE_SECRETS = {f"{service}-db-app" for service in (*SERVICES, "console")}
CONSOLE_PORT = PORTS["console"]
# Variables that only exist to build a URL from Secret keys inside the pod spec.
URL_PARTS = {"DATABASE_USERNAME", "DATABASE_PASSWORD", "AMQP_USERNAME", "AMQP_PASSWORD"}


def load_generator():
    spec = importlib.util.spec_from_file_location("k8s_generate", K8S / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(directory: Path) -> list[dict]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is not installed (.ci/run installs Debian's kubernetes-client when it is missing)"
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return {name: render(K8S / "overlays" / name) for name in OVERLAYS}


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request, rendered) -> tuple[str, list[dict]]:
    return request.param, rendered[request.param]


def of_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {document["metadata"]["name"]: document for document in documents if document["kind"] == kind}


def pod_templates(documents: list[dict]) -> dict[str, dict]:
    """Every pod template, by '<Kind>/<name>'."""
    return {f"{document['kind']}/{document['metadata']['name']}": document["spec"]["template"]
            for document in documents if document["kind"] in ("Deployment", "Job")}


def containers(documents: list[dict]) -> list[tuple[str, dict]]:
    return [(owner, container) for owner, template in pod_templates(documents).items()
            for container in template["spec"]["containers"]]


def selects(selector: dict, labels: dict) -> bool:
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items()) and all(
        (labels.get(term["key"]) in term["values"]) == (term["operator"] == "In")
        for term in selector.get("matchExpressions", []))


# --- the files themselves ------------------------------------------------------------------------------

def test_the_generated_manifests_are_exactly_what_generate_py_writes():
    stale = [str(path.relative_to(ROOT)) for path, text in load_generator().generated_files().items()
             if not path.is_file() or path.read_text() != text]
    assert not stale, f"run `.venv/bin/python deploy/k8s/generate.py`; out of date: {stale}"


def test_the_base_and_both_overlays_render(rendered):
    base = render(K8S / "base")
    assert {"Deployment", "Job", "Cluster", "RabbitmqCluster"} <= {document["kind"] for document in base}
    for name, documents in rendered.items():
        assert {document["metadata"].get("namespace") for document in documents} == {
            {"dev": "chancery-dev", "prod": "chancery"}[name]}


def test_every_core_object_is_valid_against_the_kubernetes_schemas_with_no_unknown_field(overlay):
    _, documents = overlay
    core = [document for document in documents if document["kind"] not in SCHEMAS]
    assert {"Deployment", "Service", "Job", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
            "ConfigMap", "ServiceAccount"} <= {document["kind"] for document in core}
    for document in core:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_kubernetes_schema_validation_rejects_a_misplaced_field(rendered):
    deployment = json.loads(json.dumps(of_kind(rendered["prod"], "Deployment")["visits-web"]))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"path": "/readyz"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_every_custom_resource_has_the_structure_its_operator_expects(overlay):
    _, documents = overlay
    custom = [document for document in documents if document["kind"] in SCHEMAS]
    assert {"RabbitmqCluster", "Cluster", "ServiceMonitor", "PrometheusRule", "User", "Permission"} <= {
        document["kind"] for document in custom}
    for document in custom:
        # A custom resource missing from SCHEMAS fails the core test: kubernetes-validate has no schema for it.
        jsonschema.validate(document, SCHEMAS[document["kind"]])


# --- each service ----------------------------------------------------------------------------------------

def test_every_service_has_a_web_and_a_worker_deployment_a_service_budgets_an_autoscaler_and_a_migration(overlay):
    _, documents = overlay
    deployments, jobs = of_kind(documents, "Deployment"), of_kind(documents, "Job")
    for service in SERVICES:
        assert {f"{service}-web", f"{service}-worker"} <= set(deployments), service
        assert f"{service}" in of_kind(documents, "Service") and f"{service}-worker" in of_kind(documents, "Service")
        assert {f"{service}-web", f"{service}-worker"} <= set(of_kind(documents, "PodDisruptionBudget")), service
        assert of_kind(documents, "HorizontalPodAutoscaler")[f"{service}-web"]["spec"]["scaleTargetRef"]["name"] \
            == f"{service}-web"
        assert jobs[f"{service}-migrate"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
            "chancery", "migrate", service]
        worker = deployments[f"{service}-worker"]["spec"]["template"]["spec"]["containers"][0]
        assert worker["command"] == ["chancery", "worker", service]
        web = deployments[f"{service}-web"]["spec"]["template"]["spec"]["containers"][0]
        assert "command" not in web, "the web container runs the image's gunicorn CMD"
        assert web["ports"] == [{"name": "http", "containerPort": SERVICE_PORTS[service]}]


def test_web_and_worker_probe_readiness_on_readyz_and_liveness_on_healthz_and_every_container_has_resources(overlay):
    _, documents = overlay
    for service in SERVICES:
        web = of_kind(documents, "Deployment")[f"{service}-web"]["spec"]["template"]["spec"]["containers"][0]
        assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        worker = of_kind(documents, "Deployment")[f"{service}-worker"]["spec"]["template"]["spec"]["containers"][0]
        assert worker["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
        assert worker["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    for owner, container in containers(documents):
        assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"], owner
        assert container["resources"]["limits"]["memory"], owner


def test_every_selector_finds_the_pods_it_is_meant_for(overlay):
    _, documents = overlay
    templates = pod_templates(documents)
    deployments = of_kind(documents, "Deployment")
    for name, deployment in deployments.items():
        assert selects(deployment["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"]), name
    for kind in ("Service", "PodDisruptionBudget"):
        for name, document in of_kind(documents, kind).items():
            selector = document["spec"]["selector"]
            selector = selector if "matchLabels" in selector else {"matchLabels": selector}
            matched = [owner for owner, template in templates.items()
                       if owner.startswith("Deployment/") and selects(selector, template["metadata"]["labels"])]
            assert len(matched) == 1, f"{kind} {name} selects {matched}"
    for name, autoscaler in of_kind(documents, "HorizontalPodAutoscaler").items():
        assert autoscaler["spec"]["scaleTargetRef"]["name"] in deployments, name


def test_the_service_monitor_scrapes_every_web_and_worker_on_named_ports_they_expose(overlay):
    _, documents = overlay
    monitor = of_kind(documents, "ServiceMonitor")["chancery"]
    ports = {endpoint["port"] for endpoint in monitor["spec"]["endpoints"]}
    assert all(endpoint["honorLabels"] for endpoint in monitor["spec"]["endpoints"]), \
        "without honorLabels the metrics' service label becomes exported_service and the alerts break"
    scraped = {name: service for name, service in of_kind(documents, "Service").items()
               if selects(monitor["spec"]["selector"], service["metadata"]["labels"])}
    for name in SERVICES:
        assert {port["name"] for port in scraped[name]["spec"]["ports"]} & ports == {"http"}
        assert {port["name"] for port in scraped[f"{name}-worker"]["spec"]["ports"]} & ports == {"metrics"}
        assert scraped[f"{name}-worker"]["spec"]["publishNotReadyAddresses"] is True


def test_the_prometheus_rule_carries_the_alert_rules_prometheus_loads_under_compose(overlay):
    _, documents = overlay
    alerts = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
    assert of_kind(documents, "PrometheusRule")["chancery"]["spec"] == alerts


# --- configuration and secrets ---------------------------------------------------------------------------

def test_every_config_map_a_pod_reads_is_rendered_and_every_secret_is_made_outside_the_repository(overlay):
    _, documents = overlay
    config_maps = set(of_kind(documents, "ConfigMap"))
    assert not of_kind(documents, "Secret"), "no Secret objects (so no secret values) in the repository"
    read_secrets = set()
    for owner, container in containers(documents):
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in config_maps, owner
            else:
                read_secrets.add(source["secretRef"]["name"])
        for variable in container.get("env", []):
            reference = variable.get("valueFrom", {})
            if "configMapKeyRef" in reference:
                assert reference["configMapKeyRef"]["name"] in config_maps, owner
            if "secretKeyRef" in reference:
                read_secrets.add(reference["secretKeyRef"]["name"])
    for cluster in of_kind(documents, "Cluster").values():
        credentials = cluster["spec"].get("backup", {}).get("barmanObjectStore", {}).get("s3Credentials", {})
        read_secrets |= {reference["name"] for reference in credentials.values()}
    read_secrets |= {user["spec"]["importCredentialsSecret"]["name"] for user in of_kind(documents, "User").values()}
    undocumented = sorted(name for name in read_secrets - OPERATOR_MADE_SECRETS
                          if f"`{name}`" not in RUNBOOK)
    assert not undocumented, f"secrets docs/operations.md does not tell how to create: {undocumented}"
    assert {f"rabbitmq-user-{service}" for service in SERVICES} | {"chancery-pii"} <= read_secrets


def test_no_secret_value_is_written_into_a_manifest(overlay):
    _, documents = overlay
    secretive = re.compile(r"(SECRET|PASSWORD|TOKEN|_KEY)$")
    for owner, container in containers(documents):
        for variable in container.get("env", []):
            if secretive.search(variable["name"]):
                assert "valueFrom" in variable, f"{owner}: {variable['name']} has a literal value"
    for config_map in of_kind(documents, "ConfigMap").values():
        assert not [key for key in config_map.get("data", {}) if secretive.search(key)], config_map["metadata"]


def test_url_parts_are_defined_before_the_variable_that_uses_them(overlay):
    _, documents = overlay
    for owner, container in containers(documents):
        defined: set[str] = set()
        for variable in container.get("env", []):
            for used in re.findall(r"\$\(([A-Z_]+)\)", variable.get("value", "")):
                assert used in defined, f"{owner}: {variable['name']} uses $({used}) before it is defined"
            defined.add(variable["name"])


def test_every_chancery_variable_the_manifests_set_is_documented_in_the_readme(overlay):
    _, documents = overlay
    names = {variable["name"] for _, container in containers(documents) for variable in container.get("env", [])}
    names |= {key for name, config_map in of_kind(documents, "ConfigMap").items() if name.startswith("chancery-config")
              for key in config_map["data"]}
    names -= URL_PARTS
    # CONSOLE_VISITS_URL ... are one row of the README: CONSOLE_<SERVICE>_URL; CONSOLE_VISITS_WORKER_URL ... another.
    names = {"CONSOLE_<SERVICE>_URL" if re.match(r"^CONSOLE_[A-Z]+_URL$", name) and name != "CONSOLE_DATABASE_URL"
             else "CONSOLE_<SERVICE>_WORKER_URL" if re.match(r"^CONSOLE_[A-Z]+_WORKER_URL$", name)
             else name for name in names}
    undocumented = [name for name in sorted(names) if not re.search(rf"\b{name}\b", README)
                    and not (re.match(r"^[A-Z]+_(DATABASE_URL|PORT)$", name) and "<SERVICE>_" + name.split("_", 1)[1]
                             in README)]
    assert not undocumented, f"set in deploy/k8s but not in README.md: {undocumented}"


def test_production_verifies_rs256_tokens_and_development_uses_development_tokens(rendered):
    def config(documents):
        return next(cm["data"] for name, cm in of_kind(documents, "ConfigMap").items()
                    if name.startswith("chancery-config"))
    production = config(rendered["prod"])
    assert production["CHANCERY_ENV"] == "production" and production["CHANCERY_JWKS_URL"].startswith("https://")
    assert config(rendered["dev"])["CHANCERY_ENV"] == "development"


def test_each_overlay_pins_an_image_tag_for_every_service(overlay):
    _, documents = overlay
    for owner, container in containers(documents):
        image, _, tag = container["image"].partition(":")
        assert tag and tag != "latest", f"{owner}: {container['image']}"


# --- the network -----------------------------------------------------------------------------------------

def pods_selected(documents: list[dict], peer: dict) -> list[str]:
    """Pod templates (and operator-made pods) a NetworkPolicy peer's podSelector selects."""
    pods = {owner: template["metadata"]["labels"] for owner, template in pod_templates(documents).items()}
    for name in of_kind(documents, "Cluster"):
        pods[f"Cluster/{name}"] = {"cnpg.io/cluster": name}  # CloudNativePG labels its instances so
    for name in of_kind(documents, "RabbitmqCluster"):
        pods[f"RabbitmqCluster/{name}"] = {"app.kubernetes.io/name": name}  # as does the RabbitMQ operator
    return sorted(owner for owner, labels in pods.items() if selects(peer["podSelector"], labels))


def test_each_service_may_reach_only_its_own_database_the_broker_the_collector_and_dns(overlay):
    _, documents = overlay
    policies = of_kind(documents, "NetworkPolicy")
    for service in SERVICES:
        policy = policies[service]["spec"]
        governed = [owner for owner, template in pod_templates(documents).items()
                    if selects(policy["podSelector"], template["metadata"]["labels"])]
        assert sorted(governed) == sorted([f"Deployment/{service}-web", f"Deployment/{service}-worker",
                                           f"Job/{service}-migrate"])
        assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
        reachable = {}
        for rule in policy["egress"]:
            for peer in rule["to"]:
                targets = ("dns",) if "namespaceSelector" in peer else tuple(pods_selected(documents, peer))
                assert targets, f"{service}: an egress peer selects no pod: {peer}"
                reachable[targets] = {port["port"] for port in rule["ports"]}
        assert reachable == {
            (f"Cluster/{service}-db",): {5432},
            ("RabbitmqCluster/chancery-rabbitmq",): {5672},
            ("Deployment/otel-collector",): {4318},
            ("dns",): {53},
        }, service


def test_only_web_may_fetch_signing_keys_and_only_the_notifications_worker_may_reach_mail_and_webhooks(overlay):
    _, documents = overlay
    extra = {}
    for name, policy in of_kind(documents, "NetworkPolicy").items():
        if name in (*SERVICES, "console") or "Egress" not in policy["spec"]["policyTypes"] or name == "otel-collector":
            continue
        governed = {owner for owner, template in pod_templates(documents).items()
                    if selects(policy["spec"]["podSelector"], template["metadata"]["labels"])}
        ports = {port["port"] for rule in policy["spec"]["egress"] for port in rule["ports"]}
        extra[name] = (governed, ports)
    assert extra == {
        "chancery-web-identity-provider": ({f"Deployment/{service}-web" for service in (*SERVICES, "console")},
                                           {443}),
        "notifications-outside": ({"Deployment/notifications-worker"}, {25, 465, 587, 80, 443}),
    }


def test_each_database_takes_connections_only_from_its_own_service(overlay):
    _, documents = overlay
    policies = of_kind(documents, "NetworkPolicy")
    for service in SERVICES:
        policy = policies[f"{service}-db"]["spec"]
        assert pods_selected(documents, policy) == [f"Cluster/{service}-db"]
        clients = {owner for rule in policy["ingress"] if 5432 in {p["port"] for p in rule["ports"]}
                   for peer in rule["from"] for owner in pods_selected(documents, peer)}
        assert clients == {f"Deployment/{service}-web", f"Deployment/{service}-worker", f"Job/{service}-migrate",
                           f"Cluster/{service}-db"}, service


# --- the data stores -------------------------------------------------------------------------------------

def test_each_service_has_its_own_postgresql_cluster_with_its_own_database_and_owner(overlay):
    name, documents = overlay
    clusters = of_kind(documents, "Cluster")
    assert set(clusters) == {f"{service}-db" for service in (*SERVICES, "console")}
    for service in SERVICES:
        spec = clusters[f"{service}-db"]["spec"]
        assert spec["bootstrap"]["initdb"] == {"database": service, "owner": service}
        assert spec["instances"] == (1 if name == "dev" else 3)
        environment = {variable["name"]: variable for variable in
                       of_kind(documents, "Deployment")[f"{service}-web"]["spec"]["template"]["spec"]["containers"][0][
                           "env"]}
        assert environment[f"{service.upper()}_DATABASE_URL"]["value"].endswith(f"@{service}-db-rw:5432/{service}")
        assert environment["DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == f"{service}-db-app"


def test_production_archives_every_database_continuously_and_backs_it_up_nightly(rendered):
    documents = rendered["prod"]
    backed_up = {backup["spec"]["cluster"]["name"] for backup in of_kind(documents, "ScheduledBackup").values()}
    for name, cluster in of_kind(documents, "Cluster").items():
        if name == "console-db":
            # Sessions only: restoring them would bring back signed-out sessions and their refresh tokens.
            assert "backup" not in cluster["spec"] and name not in backed_up
            continue
        assert cluster["spec"]["backup"]["barmanObjectStore"]["destinationPath"].endswith(name.removesuffix("-db"))
        assert name in backed_up
    assert not of_kind(rendered["dev"], "ScheduledBackup")


def test_the_broker_is_a_three_node_cluster_in_production(rendered):
    assert of_kind(rendered["prod"], "RabbitmqCluster")["chancery-rabbitmq"]["spec"]["replicas"] == 3
    assert of_kind(rendered["dev"], "RabbitmqCluster")["chancery-rabbitmq"]["spec"]["replicas"] == 1


def test_the_broker_topology_is_the_one_docker_compose_loads(overlay):
    _, documents = overlay
    exchanges = {e["spec"]["name"]: e["spec"] for e in of_kind(documents, "Exchange").values()}
    assert exchanges == {e["name"]: {"name": e["name"], "vhost": e["vhost"], "type": e["type"],
                                     "durable": e["durable"], "autoDelete": e["auto_delete"],
                                     "rabbitmqClusterReference": {"name": "chancery-rabbitmq"}}
                         for e in DEFINITIONS["exchanges"]}
    policies = {p["spec"]["name"]: p["spec"]["definition"] for p in of_kind(documents, "Policy").values()}
    assert policies == {p["name"]: p["definition"] for p in DEFINITIONS["policies"]}
    users = {user["metadata"]["name"]: user for user in of_kind(documents, "User").values()}
    expected_users = {u["name"] for u in DEFINITIONS["users"] if "administrator" not in u["tags"]}
    assert {f"user-{name}" for name in expected_users} == set(users)
    granted = {p["spec"]["userReference"]["name"].removeprefix("user-"): p["spec"]["permissions"]
               for p in of_kind(documents, "Permission").values()}
    assert granted == {p["user"]: {key: p[key] for key in ("configure", "write", "read")}
                       for p in DEFINITIONS["permissions"] if p["user"] in expected_users}


def names_a_service_uses(service: str) -> dict[str, set[str]]:
    """What the service's worker declares, publishes to and consumes from (shared.bus.topology)."""
    topology = Topology(load_settings(service, {"CHANCERY_NAMESPACE": "", "CHANCERY_RETRY_DELAYS_SECONDS": ""}))
    queues = {topology.queue_name, topology.dead_letter_queue_name,
              *(queue.name for queue in topology.retry_queues())}
    exchanges = {exchange.name for exchange in topology.exchanges()}
    return {"configure": exchanges | queues,
            "write": {topology.events.name, topology.retry.name, topology.dead_letter.name} | queues,
            "read": exchanges | queues}


def test_each_service_user_may_use_its_own_queues_and_exchanges_and_the_suite_exchanges_but_no_other_services():
    permissions = {p["user"]: p for p in DEFINITIONS["permissions"]}
    for service in SERVICES:
        for other in SERVICES:
            names = names_a_service_uses(other)
            for access, used in names.items():
                pattern = re.compile(permissions[service][access])
                theirs = {name for name in used if name.startswith(f"chancery.{other}") or name.endswith(f".{other}")}
                if other == service:
                    assert all(pattern.match(name) for name in used), (service, access)
                else:
                    assert theirs and not any(pattern.match(name) for name in theirs), (service, access, other)
    topic = {(p["user"], p["exchange"]): p for p in DEFINITIONS["topic_permissions"]}
    for service in SERVICES:
        write = re.compile(topic[(service, "chancery.events")]["write"])
        assert write.match(f"chancery.{service}.record.created.v1")
        assert not write.match(f"chancery.{'visits' if service != 'visits' else 'trips'}.record.created.v1")


def test_every_grafana_dashboard_is_provisioned_as_a_config_map_the_sidecar_picks_up(overlay):
    _, documents = overlay
    dashboards = {path.name: path.read_text() for path in (ROOT / "deploy" / "grafana" / "dashboards").glob("*.json")}
    provisioned = {}
    for config_map in of_kind(documents, "ConfigMap").values():
        if config_map["metadata"].get("labels", {}).get("grafana_dashboard") == "1":
            provisioned.update(config_map["data"])
    assert provisioned == dashboards


# --- the staff console -----------------------------------------------------------------------------------

def console_web(documents: list[dict]) -> dict:
    return of_kind(documents, "Deployment")["console-web"]["spec"]["template"]["spec"]


def test_the_console_runs_like_a_service_web_process_probed_limited_and_locked_down(overlay):
    _, documents = overlay
    pod = console_web(documents)
    (web,) = pod["containers"]
    assert "command" not in web, "the console container runs the image's gunicorn CMD"
    assert web["ports"] == [{"name": "http", "containerPort": CONSOLE_PORT}]
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["resources"]["requests"]["cpu"] and web["resources"]["limits"]["memory"]
    assert web["securityContext"] == console_web(documents)["containers"][0]["securityContext"] == \
        of_kind(documents, "Deployment")["visits-web"]["spec"]["template"]["spec"]["containers"][0]["securityContext"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["automountServiceAccountToken"] is False
    assert of_kind(documents, "PodDisruptionBudget")["console-web"]["spec"]["maxUnavailable"] == 1
    assert of_kind(documents, "HorizontalPodAutoscaler")["console-web"]["spec"]["scaleTargetRef"]["name"] == \
        "console-web"
    assert not [job for job in of_kind(documents, "Job") if job.startswith("console")], \
        "the console has no migration: it creates its session table on first use"


def test_the_console_reads_its_key_and_oidc_client_from_a_secret_and_calls_each_service_by_its_service(overlay):
    _, documents = overlay
    environment = {variable["name"]: variable for variable in console_web(documents)["containers"][0]["env"]}
    for variable, key in (("CONSOLE_SECRET_KEY", "secret-key"), ("CONSOLE_OIDC_CLIENT_ID", "oidc-client-id"),
                          ("CONSOLE_OIDC_CLIENT_SECRET", "oidc-client-secret")):
        assert environment[variable]["valueFrom"]["secretKeyRef"] == {"name": "chancery-console", "key": key}
    assert environment["CONSOLE_DATABASE_URL"]["value"].endswith("@console-db-rw:5432/console")
    assert environment["DATABASE_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "console-db-app"
    services = of_kind(documents, "Service")
    for service, port in SERVICE_PORTS.items():
        assert environment[f"CONSOLE_{service.upper()}_URL"]["value"] == f"http://{service}:{port}"
        assert {"port": port, "targetPort": "http"}.items() <= services[service]["spec"]["ports"][0].items()
    cluster = of_kind(documents, "Cluster")["console-db"]["spec"]
    assert cluster["bootstrap"]["initdb"] == {"database": "console", "owner": "console"}


def test_the_console_reads_the_per_queue_figures_of_every_broker_node_the_overlay_runs(overlay):
    """Each node exports only the queues it leads (decision 0216): one address per node, by its name under the
    cluster operator's headless Service, on the plugin's per-queue family."""
    _, documents = overlay
    (variable,) = [variable for variable in console_web(documents)["containers"][0]["env"]
                   if variable["name"] == "CONSOLE_BROKER_METRICS_URL"]
    urls = [urlsplit(url) for url in variable["value"].split()]
    replicas = of_kind(documents, "RabbitmqCluster")["chancery-rabbitmq"]["spec"]["replicas"]
    assert {f"chancery-rabbitmq-server-{node}.chancery-rabbitmq-nodes" for node in range(replicas)} <= \
        {url.hostname for url in urls}
    assert {(url.port, url.path, url.query) for url in urls} == {(15692, "/metrics/detailed",
                                                                  "family=queue_coarse_metrics")}


def production_config(rendered) -> dict[str, str]:
    """The suite's configuration (`chancery-config`) as the production overlay renders it."""
    return {key: value for document in rendered["prod"] if document["kind"] == "ConfigMap"
            and document["metadata"]["name"].startswith("chancery-config") for key, value in document["data"].items()}


def test_production_signs_staff_in_at_the_identity_provider_that_issues_the_services_tokens(rendered):
    config = production_config(rendered)
    assert config["CHANCERY_OIDC_ISSUER"] == config["CHANCERY_JWT_ISSUER"]
    assert config["CHANCERY_JWKS_URL"].startswith(config["CHANCERY_OIDC_ISSUER"] + "/")


def test_production_links_the_operators_page_to_the_dashboards(rendered):
    config = production_config(rendered)
    assert config["CONSOLE_GRAFANA_URL"].startswith("https://")


def ingress_routes(documents: list[dict]) -> dict[str, tuple[str, list[str]]]:
    """Each path of the suite's Ingress: (its path type, the pods its backend Service's port reaches)."""
    (rule,) = of_kind(documents, "Ingress")["chancery"]["spec"]["rules"]
    routes = {}
    for path in rule["http"]["paths"]:
        backend = path["backend"]["service"]
        service = of_kind(documents, "Service")[backend["name"]]
        assert backend["port"]["number"] in {port["port"] for port in service["spec"]["ports"]}, backend
        routes[path["path"]] = (path["pathType"], [
            owner for owner, template in pod_templates(documents).items()
            if selects({"matchLabels": service["spec"]["selector"]}, template["metadata"]["labels"])])
    return routes


def test_the_ingress_is_the_single_entry_point_and_sends_everything_to_the_console(overlay):
    name, documents = overlay
    ingresses = of_kind(documents, "Ingress")
    assert list(ingresses) == ["chancery"], "one Ingress for the suite"
    (rule,) = ingresses["chancery"]["spec"]["rules"]
    assert ingress_routes(documents)["/"] == ("Prefix", ["Deployment/console-web"])
    assert {path["path"]: path["backend"]["service"]["port"]["number"] for path in rule["http"]["paths"]}["/"] \
        == CONSOLE_PORT
    annotations = ingresses["chancery"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off", "the live stream must not be buffered"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) > 60, "NOTIFICATIONS_STREAM_SECONDS"
    if name == "prod":
        assert rule["host"] and ingresses["chancery"]["spec"]["tls"][0]["hosts"] == [rule["host"]]


def test_the_ingress_routes_the_problem_type_uris_to_a_services_web_pods_which_let_the_controller_in(overlay):
    _, documents = overlay
    path_type, pods = ingress_routes(documents)["/problems"]
    assert path_type == "Prefix" and len(pods) == 1 and pods[0].endswith("-web") and pods[0] != "Deployment/console-web"
    service = pods[0].removeprefix("Deployment/").removesuffix("-web")
    port = SERVICE_PORTS[service]
    (backend,) = [path["backend"]["service"] for path in of_kind(documents, "Ingress")["chancery"]["spec"]["rules"][0]
                  ["http"]["paths"] if path["path"] == "/problems"]
    assert backend == {"name": service, "port": {"number": port}}
    controller = {"kubernetes.io/metadata.name": "ingress-nginx"}
    admitted = [rule for rule in of_kind(documents, "NetworkPolicy")[service]["spec"]["ingress"]
                if port in {p["port"] for p in rule["ports"]}
                and ("from" not in rule or any(selects(peer.get("namespaceSelector", {}), controller)
                                               and "podSelector" not in peer for peer in rule["from"]))]
    assert admitted, f"{service}'s NetworkPolicy keeps the Ingress controller out"
    assert "/problems/" in RUNBOOK and f"`{service}`" in RUNBOOK.split("Problem type pages", 1)[1][:600]


def test_the_console_is_reached_from_the_ingress_controller_and_reaches_each_service_and_its_database(overlay):
    _, documents = overlay
    policy = of_kind(documents, "NetworkPolicy")["console"]["spec"]
    governed = [owner for owner, template in pod_templates(documents).items()
                if selects(policy["podSelector"], template["metadata"]["labels"])]
    assert governed == ["Deployment/console-web"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    sources = {rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]:
               {port["port"] for port in rule["ports"]} for rule in policy["ingress"]}
    assert sources == {"ingress-nginx": {CONSOLE_PORT}, "monitoring": {CONSOLE_PORT}}
    reachable = {}
    for rule in policy["egress"]:
        for peer in rule["to"]:
            targets = ("dns",) if "namespaceSelector" in peer else tuple(pods_selected(documents, peer))
            assert targets, f"console: an egress peer selects no pod: {peer}"
            reachable[targets] = {port["port"] for port in rule["ports"]}
    assert reachable == {
        **{(f"Deployment/{service}-web",): {port} for service, port in SERVICE_PORTS.items()},
        # The operators' page: each worker's probes and metrics, RabbitMQ's per-queue metrics (decision 0098).
        **{(f"Deployment/{service}-worker",): {9100} for service in SERVICE_PORTS},
        ("RabbitmqCluster/chancery-rabbitmq",): {15692},
        ("Cluster/console-db",): {5432},
        ("Deployment/otel-collector",): {4318},
        ("dns",): {53},
    }
    # The services' own policies let the console in on their web ports.
    for service, port in SERVICE_PORTS.items():
        admitted = [rule for rule in of_kind(documents, "NetworkPolicy")[service]["spec"]["ingress"]
                    if port in {p["port"] for p in rule["ports"]}
                    and ("from" not in rule or any(selects(peer.get("podSelector", {}), {}) for peer in rule["from"]))]
        assert admitted, service
        console_pod = pod_templates(documents)["Deployment/console-web"]["metadata"]["labels"]
        assert any(9100 in {p["port"] for p in rule["ports"]}
                   and any("podSelector" in peer and selects(peer["podSelector"], console_pod)
                           for peer in rule.get("from", []))
                   for rule in of_kind(documents, "NetworkPolicy")[service]["spec"]["ingress"]), service
    database = of_kind(documents, "NetworkPolicy")["console-db"]["spec"]
    clients = {owner for rule in database["ingress"] if 5432 in {p["port"] for p in rule["ports"]}
               for peer in rule["from"] for owner in pods_selected(documents, peer)}
    assert clients == {"Deployment/console-web", "Cluster/console-db"}


def test_the_service_monitor_scrapes_the_console(overlay):
    _, documents = overlay
    monitor = of_kind(documents, "ServiceMonitor")["chancery"]
    console = of_kind(documents, "Service")["console"]
    assert selects(monitor["spec"]["selector"], console["metadata"]["labels"])
    assert {port["name"] for port in console["spec"]["ports"]} & {e["port"] for e in monitor["spec"]["endpoints"]} \
        == {"http"}
