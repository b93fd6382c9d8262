"""Tracing is configured by the standard OTEL_* variables (or CHANCERY_TRACES_*), and refused at start when it asks
for something the suite cannot do."""

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, Decision
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from sqlalchemy import text

from services.console.settings import load_console_settings
from shared.config import ConfigurationError, TracingSettings, load_settings
from shared.db import make_engine
from shared.observability import tracer_provider

A_TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C


def provider(environment: dict[str, str], monkeypatch=None) -> TracerProvider:
    for variable, value in environment.items():
        if monkeypatch is not None:
            monkeypatch.setenv(variable, value)
    return tracer_provider(TracingSettings.load(environment), "visits", "web")


def sampled(provider: TracerProvider, parent_sampled: bool | None) -> bool:
    """Whether the provider's sampler keeps a span: a root one (`None`), or the child of a remote parent that
    was (or was not) sampled."""
    parent = None
    if parent_sampled is not None:
        flags = TraceFlags(TraceFlags.SAMPLED if parent_sampled else TraceFlags.DEFAULT)
        parent = trace.set_span_in_context(NonRecordingSpan(SpanContext(A_TRACE_ID, 0x1234, True, flags)))
    result = provider.sampler.should_sample(parent, A_TRACE_ID, "GET /", trace.SpanKind.SERVER)
    return result.decision == Decision.RECORD_AND_SAMPLE


@pytest.mark.parametrize("variable", ["OTEL_TRACES_EXPORTER", "CHANCERY_TRACES_EXPORTER"])
def test_an_exporter_the_suite_does_not_have_is_refused_at_start_naming_the_accepted_ones(variable):
    for load in (lambda: load_settings("visits", {variable: "jaeger"}),
                 lambda: load_console_settings({variable: "jaeger"})):
        with pytest.raises(ConfigurationError) as refused:
            load()
        assert f"{variable}='jaeger'" in str(refused.value)
        assert all(name in str(refused.value) for name in ("'none'", "'console'", "'otlp'"))


@pytest.mark.parametrize(("variable", "value"), [("OTEL_TRACES_SAMPLER", "sometimes"),
                                                 ("OTEL_TRACES_SAMPLER_ARG", "1.5")])
def test_a_sampler_the_sdk_would_ignore_with_a_warning_is_refused_at_start(variable, value):
    with pytest.raises(ConfigurationError, match=f"{variable}='{value}'"):
        load_settings("visits", {variable: value})


def test_the_chancery_exporter_wins_over_the_standard_variable_and_none_is_the_default():
    assert TracingSettings.load({}).exporter == "none"
    assert TracingSettings.load({"OTEL_TRACES_EXPORTER": "otlp"}).exporter == "otlp"
    assert TracingSettings.load({"OTEL_TRACES_EXPORTER": "otlp", "CHANCERY_TRACES_EXPORTER": "console"}).exporter \
        == "console"


def test_a_parent_based_ratio_sampler_follows_the_caller_and_keeps_no_root_at_ratio_zero():
    ratio_zero = provider({"OTEL_TRACES_EXPORTER": "console", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                           "OTEL_TRACES_SAMPLER_ARG": "0"})
    assert not sampled(ratio_zero, None)
    assert sampled(ratio_zero, True) and not sampled(ratio_zero, False)
    ratio_one = provider({"OTEL_TRACES_EXPORTER": "console", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                          "OTEL_TRACES_SAMPLER_ARG": "1"})
    assert sampled(ratio_one, None) and not sampled(ratio_one, False)


def test_without_an_exporter_nothing_is_recorded_whatever_the_sampler():
    assert provider({"OTEL_TRACES_SAMPLER": "always_on"}).sampler is ALWAYS_OFF


def test_the_service_name_and_resource_attributes_come_from_the_standard_variables_when_given(monkeypatch):
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    assert provider({}).resource.attributes["service.name"] == "chancery-visits"
    resource = provider({"OTEL_SERVICE_NAME": "visits-eu", "OTEL_RESOURCE_ATTRIBUTES":
                         "deployment.environment=staging,service.instance.id=pod-7"}, monkeypatch).resource
    assert resource.attributes["service.name"] == "visits-eu"
    assert resource.attributes["deployment.environment"] == "staging"
    assert resource.attributes["service.instance.id"] == "pod-7"


def test_the_otlp_exporter_sends_to_the_standard_endpoint_variable(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.example:4318")
    otlp = provider({"OTEL_TRACES_EXPORTER": "otlp"})
    try:
        exporters = [processor.span_exporter for processor in otlp._active_span_processor._span_processors]
        assert [exporter._endpoint for exporter in exporters] == ["http://collector.example:4318/v1/traces"]
    finally:
        otlp.shutdown()


def test_statements_get_a_span_only_where_spans_are_recorded(tmp_path, monkeypatch):
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    recording = provider({"OTEL_TRACES_EXPORTER": "console", "CHANCERY_TRACES_FILE": str(tmp_path / "spans")})
    exported = InMemorySpanExporter()
    recording.add_span_processor(SimpleSpanProcessor(exported))
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: recording)
    monkeypatch.setattr(trace, "get_tracer", recording.get_tracer)
    with make_engine(f"sqlite:///{tmp_path}/traced.db").connect() as connection:
        connection.execute(text("SELECT 1"))
    assert "SELECT 1" in [span.attributes["db.statement"] for span in exported.get_finished_spans()]

    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider({}))
    before = len(exported.get_finished_spans())
    with make_engine(f"sqlite:///{tmp_path}/untraced.db").connect() as connection:
        connection.execute(text("SELECT 1"))
    assert len(exported.get_finished_spans()) == before
