"""Write one Grafana dashboard per service (deploy/grafana/dashboards/chancery-<service>.json).

    .venv/bin/python deploy/grafana/generate.py

Every service gets the same panels, so that an operator who knows one knows them all; a service adds
panels of its own in SERVICE_PANELS. tests/deploy/test_grafana.py fails when a file is stale or a
panel reads a metric the code does not export. The suite overview (chancery-overview.json) is kept
by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shared.config import SERVICE_PORTS  # noqa: E402

DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
PROBES = '"/readyz|/healthz|/metrics"'
WIDTH = 24


def panel(title: str, description: str, unit: str, *queries: tuple[str, str]) -> dict:
    return {
        "type": "timeseries", "title": title, "description": description, "datasource": DATASOURCE,
        "fieldConfig": {"defaults": {"unit": unit, "custom": {
            "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never"}}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": True,
                               "calcs": ["lastNotNull", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [{"datasource": DATASOURCE, "refId": chr(ord("A") + number), "expr": expr,
                     "legendFormat": legend, "range": True}
                    for number, (expr, legend) in enumerate(queries)],
    }


def row(title: str) -> dict:
    return {"type": "row", "title": title, "collapsed": False, "panels": []}


def common_panels(service: str) -> list[dict]:
    s = f'service="{service}"'
    api = f'{s}, route!~{PROBES}'
    rate = "[$__rate_interval]"
    return [
        row("HTTP"),
        panel("Request rate by route", "Requests per second to the API (probes left out).", "reqps",
              (f"sum by (route, method) (rate(chancery_http_requests_total{{{api}}}{rate}))", "{{method}} {{route}}")),
        panel("Error ratio by route", "Share of requests answered 5xx (alert HighErrorRatio above 5%) and 4xx.",
              "percentunit",
              (f'sum by (route) (rate(chancery_http_requests_total{{{api}, status=~"5.."}}{rate}))'
               f" / sum by (route) (rate(chancery_http_requests_total{{{api}}}{rate}))", "5xx {{route}}"),
              (f'sum by (route) (rate(chancery_http_requests_total{{{api}, status=~"4.."}}{rate}))'
               f" / sum by (route) (rate(chancery_http_requests_total{{{api}}}{rate}))", "4xx {{route}}")),
        panel("Latency by route (p50, p99)", "Request duration; alert SlowRequests when p99 stays above 1 s.", "s",
              (f"histogram_quantile(0.5, sum by (le, route) "
               f"(rate(chancery_http_request_duration_seconds_bucket{{{api}}}{rate})))", "p50 {{route}}"),
              (f"histogram_quantile(0.99, sum by (le, route) "
               f"(rate(chancery_http_request_duration_seconds_bucket{{{api}}}{rate})))", "p99 {{route}}")),
        panel("Readiness failures", "/readyz answered 503: the database or the broker is unreachable.", "reqps",
              (f'sum (rate(chancery_http_requests_total{{{s}, route="/readyz", status="503"}}{rate}))',
               "503 on /readyz")),
        row("Outbox"),
        panel("Outbox backlog", "Events committed but not yet confirmed by the broker.", "short",
              (f"max (chancery_outbox_backlog{{{s}}})", "unsent events")),
        panel("Oldest unsent event", "Age of the oldest unsent event (alert OutboxStuck above 5 minutes).", "s",
              (f"max (chancery_outbox_oldest_age_seconds{{{s}}})", "age")),
        panel("Broker blocking publishers", "1 while RabbitMQ's memory or disk alarm blocks a connection of the "
              "worker, and the seconds it blocked (alert BrokerBlockingPublishers).", "short",
              (f"max by (connection) (chancery_broker_blocked{{{s}}})", "blocked {{connection}}"),
              (f"sum by (connection) (increase(chancery_broker_blocked_seconds_total{{{s}}}{rate}))",
               "seconds blocked {{connection}}")),
        row("Events"),
        panel("Published by type", "Events the broker confirmed, and those it returned as unroutable.", "ops",
              (f"sum by (type) (rate(chancery_events_published_total{{{s}}}{rate}))", "{{type}}"),
              (f"sum by (type) (rate(chancery_events_unroutable_total{{{s}}}{rate}))", "unroutable {{type}}")),
        panel("Consumed by type", "Events applied, and redeliveries the inbox recognised and skipped.", "ops",
              (f"sum by (type) (rate(chancery_events_consumed_total{{{s}}}{rate}))", "{{type}}"),
              (f"sum by (type) (rate(chancery_events_duplicate_total{{{s}}}{rate}))", "duplicate {{type}}")),
        panel("Retries and dead letters", "Events sent back for a delayed retry, and those given up on "
              "(alert DeadLettersAppearing).", "short",
              (f"sum by (type) (increase(chancery_events_retried_total{{{s}}}{rate}))", "retried {{type}}"),
              (f"sum by (type) (increase(chancery_events_dead_lettered_total{{{s}}}{rate}))", "dead {{type}}")),
        panel("Queue depth", f"Messages ready in chancery.{service} and its dead-letter queue (RabbitMQ; "
              "alert ConsumerStalled).", "short",
              (f'max by (queue) (rabbitmq_queue_messages_ready{{queue=~"chancery\\\\.{service}(\\\\.dlq)?"}})',
               "{{queue}}")),
        row("Periodic tasks"),
        panel("Periodic task runs", "Worker tasks by outcome (alert PeriodicTaskFailing).", "short",
              (f"sum by (task, outcome) (increase(chancery_periodic_task_runs_total{{{s}}}{rate}))",
               "{{task}} {{outcome}}")),
    ]


# Panels only one service has, on metrics only it exports.
SERVICE_PANELS = {
    "notifications": lambda: [
        row("Deliveries"),
        panel("Delivery outcomes by channel", "E-mail, webhook and in-app delivery attempts by outcome.", "short",
              ('sum by (channel, outcome) (increase(chancery_notification_deliveries_total'
               '{job=~"notifications.*"}[$__rate_interval]))', "{{channel}} {{outcome}}")),
        panel("Live streams' reads", "Reads of new notifications by open inbox streams: as they open, when the "
              "process's watch of arrivals wakes one, and polled (only while that watch is down, decision 0059).",
              "short", ('sum by (cause) (increase(chancery_inbox_stream_reads_total'
                        '{job=~"notifications.*"}[$__rate_interval]))', "{{cause}}")),
        panel("Decisions waiting", "Decisions waiting per role awaited, and those past their due time (escalated to "
              "the next role up, decision 0125), as the worker's sweep last counted them.", "short",
              ('max by (role, state) (chancery_decisions_waiting{job=~"notifications.*"})', "{{role}} {{state}}")),
    ],
}


def layout(panels: list[dict]) -> list[dict]:
    """Rows across the whole width, panels two by two beneath them."""
    y, x = 0, 0
    for number, item in enumerate(panels, start=1):
        item["id"] = number
        if item["type"] == "row":
            y, x = y + (8 if x else 0), 0
            item["gridPos"] = {"h": 1, "w": WIDTH, "x": 0, "y": y}
            y += 1
            continue
        item["gridPos"] = {"h": 8, "w": WIDTH // 2, "x": x, "y": y}
        x = (x + WIDTH // 2) % WIDTH
        if x == 0:
            y += 8
    return panels


def dashboard(service: str) -> dict:
    panels = common_panels(service) + SERVICE_PANELS.get(service, lambda: [])()
    return {
        "uid": f"chancery-{service}", "title": f"Chancery {service}",
        "description": f"The {service} service: its API, outbox, events, queue and periodic tasks.",
        "tags": ["chancery", service], "timezone": "browser", "editable": False, "graphTooltip": 1,
        "schemaVersion": 39, "version": 1, "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
        "timepicker": {}, "templating": {"list": []}, "annotations": {"list": []},
        "links": [{"title": "Chancery overview", "type": "link", "url": "/d/chancery-overview"}],
        "panels": layout(panels),
    }


def console_panels() -> list[dict]:
    """The console's HTTP metrics, and its calls to the services as it waits for them (docs/console.md,
    "Observability")."""
    s = 'service="console"'
    rate = "[$__rate_interval]"
    services = "|".join(SERVICE_PORTS)
    upstream = f'service=~"{services}", route!~{PROBES}'
    http = [item for item in common_panels("console")[:4]]
    http.append(panel("Readiness failures", "/readyz answered 503: the console's session database is unreachable "
                      "(alert ConsoleDown once every replica is out).", "reqps",
                      (f'sum (rate(chancery_http_requests_total{{{s}, route="/readyz", status="503"}}{rate}))',
                       "503 on /readyz")))
    return [
        *http,
        row("Sign-in and sessions"),
        panel("Sign-ins by outcome", "Returns from the identity provider (/sign-in/callback): 3xx signed in, 4xx "
              "refused (a stale or forged state, a provider error).", "ops",
              (f'sum by (status) (rate(chancery_http_requests_total{{{s}, route="/sign-in/callback"}}{rate}))',
               "{{status}}")),
        panel("Sent to sign in", "Pages that sent the browser to sign in: no session, or its token expired and "
              "could not be refreshed.", "ops",
              (f'sum (rate(chancery_http_requests_total{{{s}, route="/sign-in"}}{rate}))', "/sign-in"),
              (f'sum (rate(chancery_http_requests_total{{{s}, route="/sign-out"}}{rate}))', "/sign-out")),
        row("The services behind it"),
        panel("Service API latency (p99)", "What the console waits for: each service's API as the console measures "
              "it, network and its connection pool included (it gives up after CONSOLE_API_TIMEOUT_SECONDS and greys "
              "out that part).", "s",
              ("histogram_quantile(0.99, sum by (le, upstream) "
               f"(rate(chancery_console_api_call_duration_seconds_bucket{rate})))", "{{upstream}}")),
        panel("Service calls not answered", "The console's calls a service did not answer (connection refused, "
              "timeout) or answered 5xx: that part of the page was greyed out.", "ops",
              ('sum by (upstream, status) (rate(chancery_console_api_call_duration_seconds_count'
               f'{{status=~"unavailable|5.."}}{rate}))', "{{upstream}} {{status}}")),
        panel("Service API errors (5xx ratio)", "Share of each service's API requests answered 5xx.", "percentunit",
              (f'sum by (service) (rate(chancery_http_requests_total{{{upstream}, status=~"5.."}}{rate}))'
               f" / sum by (service) (rate(chancery_http_requests_total{{{upstream}}}{rate}))", "{{service}}")),
    ]


def console_dashboard() -> dict:
    return {
        "uid": "chancery-console", "title": "Chancery console",
        "description": "The staff console: its pages, sign-ins, and the services it waits on.",
        "tags": ["chancery", "console"], "timezone": "browser", "editable": False, "graphTooltip": 1,
        "schemaVersion": 39, "version": 1, "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
        "timepicker": {}, "templating": {"list": []}, "annotations": {"list": []},
        "links": [{"title": "Chancery overview", "type": "link", "url": "/d/chancery-overview"}],
        "panels": layout(console_panels()),
    }


def generated_files() -> dict[Path, str]:
    files = {DASHBOARDS / f"chancery-{service}.json": json.dumps(dashboard(service), indent=2) + "\n"
             for service in SERVICE_PORTS}
    files[DASHBOARDS / "chancery-console.json"] = json.dumps(console_dashboard(), indent=2) + "\n"
    return files


def main() -> None:
    for path, text in generated_files().items():
        path.write_text(text)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
