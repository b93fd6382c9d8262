"""One trace, made by OpenTelemetry's maintained instrumentations (Flask, SQLAlchemy) and the bus's own spans,
follows a confirmed visit from the request through its SQL, the outbox, the publish and each consumer's SQL to
the notification delivered; the processes are configured by the standard `OTEL_*` variables alone."""

import json
import signal

import pytest

from tests.integration.test_first_chain import CONFIRMED, create_and_confirm
from tests.support.processes import Suite, eventually

pytestmark = pytest.mark.integration
CONFIRM_ROUTE = "POST /api/v1/visits/<visit_id>/confirm"


@pytest.fixture(scope="module")
def traced_suite(tmp_path_factory):
    """visits and its two consumers of `visit.confirmed` on PostgreSQL, exporting spans as the OTEL_* variables
    ask (CHANCERY_TRACES_EXPORTER empty: its default, unset)."""
    workdir = tmp_path_factory.mktemp("tracing")
    suite = Suite(("visits", "notifications", "outreach"), workdir, database="postgres", extra_env={
        "CHANCERY_TRACES_EXPORTER": "", "OTEL_TRACES_EXPORTER": "console",
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.0",
        "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=tracing-test"})
    with suite:
        yield suite


def spans(suite, service: str) -> list[dict]:
    path = suite.workdir / f"traces-{service}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def in_trace(suite, service: str, trace_id: str) -> list[dict]:
    return [span for span in spans(suite, service) if span["context"]["trace_id"] == trace_id]


def statements(trace_spans: list[dict]) -> list[str]:
    return [span["attributes"].get("db.statement", "") for span in trace_spans if span["kind"] == "SpanKind.CLIENT"]


def test_the_trace_of_a_confirmed_visit_holds_the_request_its_sql_the_outbox_the_publish_and_each_consumer(
        traced_suite):
    traced_suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": CONFIRMED},
                      roles="protocol", sub="vera")
    visit_id = create_and_confirm(traced_suite, sub="vera")
    eventually(lambda: [item for item in traced_suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol",
                                                           sub="vera").json["items"] if item["subject"] == visit_id],
               message="the notification delivered to the inbox")
    request = eventually(lambda: [span for span in spans(traced_suite, "visits") if span["name"] == CONFIRM_ROUTE
                                  and span["attributes"].get("http.target", "").endswith(f"/{visit_id}/confirm")],
                         message="the confirm request's span")[0]
    trace_id = request["context"]["trace_id"]
    assert request["kind"] == "SpanKind.SERVER" and request["attributes"]["http.status_code"] == 200
    assert request["resource"]["attributes"]["deployment.environment"] == "tracing-test"
    assert request["resource"]["attributes"]["service.name"] == "chancery-visits"

    visits = in_trace(traced_suite, "visits", trace_id)
    request_sql = [span for span in visits if span["parent_id"] == request["context"]["span_id"]
                   and span["attributes"].get("db.system") == "postgresql"]
    assert any(statement.startswith("UPDATE visits") for statement in statements(request_sql))
    # on PostgreSQL the event's INSERT is in a WITH before the audit record's (decision 0205)
    assert any("INSERT INTO outbox" in statement for statement in statements(request_sql))
    publish = [span for span in visits if span["name"] == f"publish {CONFIRMED}"]
    assert len(publish) == 1 and publish[0]["kind"] == "SpanKind.PRODUCER"

    for consumer, writes in (("notifications", "INSERT INTO deliveries"), ("outreach", "INSERT INTO")):
        consumed = eventually(lambda consumer=consumer: [
            span for span in in_trace(traced_suite, consumer, trace_id) if span["name"] == f"consume {CONFIRMED}"],
            message=f"{consumer}'s consume span in the request's trace")
        assert consumed[0]["parent_id"] == publish[0]["context"]["span_id"]
        consumer_sql = [span for span in in_trace(traced_suite, consumer, trace_id)
                        if span["parent_id"] == consumed[0]["context"]["span_id"]]
        assert any(statement.startswith(writes) for statement in statements(consumer_sql)), \
            (consumer, statements(consumer_sql))


def test_events_applied_in_one_batch_keep_their_own_sql_and_the_rows_added_together_link_to_each(traced_suite):
    traced_suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": CONFIRMED},
                      roles="protocol", sub="yana")
    traced_suite.kill("notifications", "worker", signal.SIGTERM)  # the events wait, to arrive together
    visit_ids = [create_and_confirm(traced_suite, sub="yana") for _ in range(3)]
    traced_suite.start_worker("notifications")
    eventually(lambda: len([item for item in traced_suite.call("GET", "notifications", "/api/v1/inbox",
                                                               roles="protocol", sub="yana").json["items"]
                            if item["subject"] in visit_ids]) == 3, timeout=60, message="the three notifications")
    for visit_id in visit_ids:
        request = eventually(lambda visit_id=visit_id: [
            span for span in spans(traced_suite, "visits") if span["name"] == CONFIRM_ROUTE
            and span["attributes"].get("http.target", "").endswith(f"/{visit_id}/confirm")], message="the request")
        trace_id = request[0]["context"]["trace_id"]
        consumed = eventually(lambda trace_id=trace_id: [
            span for span in in_trace(traced_suite, "notifications", trace_id)
            if span["name"] == f"consume {CONFIRMED}"], message="the consume span")
        own_sql = statements([span for span in in_trace(traced_suite, "notifications", trace_id)
                              if span["parent_id"] == consumed[0]["context"]["span_id"]])
        # Applied in the batch's transaction: the inbox claim of all its events is in no event's span, and the
        # rows they all add are inserted together in the batch's span, linked to each event's (decision 0200).
        assert not any(statement.startswith(("INSERT INTO inbox", "INSERT INTO deliveries")) for statement in own_sql)
        batch = eventually(lambda consumed=consumed: [
            span for span in spans(traced_suite, "notifications") if span["name"] == "consume batch"
            and consumed[0]["context"] in [link["context"] for link in span["links"]]], message="the batch's span")
        batch_sql = statements([span for span in spans(traced_suite, "notifications")
                                if span["parent_id"] == batch[0]["context"]["span_id"]])
        assert any(statement.startswith("INSERT INTO deliveries") for statement in batch_sql), batch_sql


def test_no_span_carries_a_token_or_a_query_string(traced_suite):
    token = traced_suite.token("protocol", sub="vera")
    answer = traced_suite.call("GET", "visits", "/api/v1/visits?q=Lyon-secret-search", roles="protocol", sub="vera")
    assert answer.status in (200, 422)
    eventually(lambda: [span for span in spans(traced_suite, "visits") if span["name"] == "GET /api/v1/visits"],
               message="the listing's span")
    written = "".join(path.read_text() for path in traced_suite.workdir.glob("traces-*.jsonl"))
    assert "Lyon-secret-search" not in written and token.split(".")[2] not in written
    assert "Bearer" not in written


def test_probes_are_not_traced(traced_suite):
    for path in ("/healthz", "/readyz", "/metrics"):
        traced_suite.call("GET", "visits", path)
    probes = {"GET /healthz", "GET /readyz", "GET /metrics"}
    assert [span for span in spans(traced_suite, "visits") if span["name"].startswith("GET /api/")]
    assert not [span for span in spans(traced_suite, "visits") if span["name"] in probes]
