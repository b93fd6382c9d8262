"""The Grafana dashboards: one per service plus the suite overview, each query valid PromQL on metrics
the code (or RabbitMQ) really exports."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import yaml

from shared.config import SERVICE_PORTS
from shared.observability import exported_metrics
from tests.deploy.test_prometheus import promtool

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
DASHBOARD_FILES = sorted((GRAFANA / "dashboards").glob("*.json"))
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
# What rabbitmq_prometheus exports per queue (prometheus.return_per_object_metrics = true).
RABBITMQ_METRICS = {"rabbitmq_queue_messages_ready", "rabbitmq_queue_consumers"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def metrics_used(expression: str, defined: set[str]) -> set[str]:
    used = set()
    for name in re.findall(r"\b((?:chancery|rabbitmq)_[a-z_]+)\b", expression):
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in defined:
                name = name[: -len(suffix)]
        used.add(name)
    return used


def expressions(dashboard: dict) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def test_the_service_dashboards_are_exactly_what_generate_py_writes():
    spec = importlib.util.spec_from_file_location("grafana_generate", GRAFANA / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [path.name for path, text in module.generated_files().items()
             if not path.is_file() or path.read_text() != text]
    assert not stale, f"run `.venv/bin/python deploy/grafana/generate.py`; out of date: {stale}"


def test_there_is_a_dashboard_per_service_and_a_suite_overview_each_with_its_own_uid():
    dashboards = [json.loads(path.read_text()) for path in DASHBOARD_FILES]
    uids = [dashboard["uid"] for dashboard in dashboards]
    assert len(uids) == len(set(uids))
    assert {"chancery-overview", *(f"chancery-{service}" for service in SERVICE_PORTS)} <= set(uids)
    for dashboard in dashboards:
        panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
        assert panels and all(panel.get("targets") for panel in panels), dashboard["uid"]
        assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"]), dashboard["uid"]


def test_each_service_dashboard_shows_rate_errors_latency_outbox_and_consumer_flow_of_its_service_only():
    for service in SERVICE_PORTS:
        dashboard = json.loads((GRAFANA / "dashboards" / f"chancery-{service}.json").read_text())
        text = "\n".join(expressions(dashboard))
        for metric in ("chancery_http_requests_total", "chancery_http_request_duration_seconds_bucket",
                       "chancery_outbox_backlog", "chancery_outbox_oldest_age_seconds",
                       "chancery_events_consumed_total", "chancery_events_retried_total",
                       "chancery_events_dead_lettered_total"):
            assert metric in text, (service, metric)
        for other in set(SERVICE_PORTS) - {service}:
            assert f'service="{other}"' not in text, (service, other)


def test_the_notifications_dashboard_shows_delivery_outcomes_by_channel():
    dashboard = json.loads((GRAFANA / "dashboards" / "chancery-notifications.json").read_text())
    assert any("chancery_notification_deliveries_total" in expr and "channel" in expr
               for expr in expressions(dashboard))


def test_every_metric_a_dashboard_or_an_alert_reads_is_exported_by_the_code_or_by_rabbitmq():
    # The code's own list, which tests/test_deployment_files.py holds to every metric the code registers.
    defined = set(exported_metrics())
    sources = {path.name: "\n".join(expressions(json.loads(path.read_text())))
               for path in DASHBOARD_FILES}
    sources[ALERTS.name] = "\n".join(rule["expr"] for group in yaml.safe_load(ALERTS.read_text())["groups"]
                                     for rule in group["rules"])
    for name, text in sources.items():
        unknown = metrics_used(text, defined) - defined - RABBITMQ_METRICS
        assert not unknown, f"{name} reads metrics nothing exports: {sorted(unknown)}"


def test_every_dashboard_query_is_valid_promql(tmp_path):
    """promtool parses each query as a recording rule (Grafana's $__rate_interval read as 5m)."""
    rules = [{"record": f"chancery:dashboard_query:{number}", "expr": expr.replace("$__rate_interval", "5m")
              .replace("$service", ".*")}
             for number, expr in enumerate(expr for path in DASHBOARD_FILES
                                           for expr in expressions(json.loads(path.read_text())))]
    rules_file = tmp_path / "dashboards.rules.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = promtool("check", "rules", str(rules_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_console_dashboard_shows_its_requests_errors_latency_sign_ins_and_the_services_it_waits_on():
    dashboard = json.loads((GRAFANA / "dashboards" / "chancery-console.json").read_text())
    text = json.dumps(expressions(dashboard))
    for metric in ("chancery_http_requests_total", "chancery_http_request_duration_seconds_bucket"):
        assert metric in text
    assert 'service=\\"console\\"' in text and "/sign-in/callback" in text
    titles = {panel["title"] for panel in dashboard["panels"]}
    assert {"Request rate by route", "Error ratio by route", "Latency by route (p50, p99)", "Sign-ins by outcome",
            "Service API latency (p99)", "Service API errors (5xx ratio)"} <= titles
