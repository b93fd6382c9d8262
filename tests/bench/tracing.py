"""Tracing cost: the visits web process with every span recorded and exported (OTLP/HTTP to a local sink)
against the same process with tracing off (no exporter: spans are not recorded, ids still travel).

The same shape as tests/bench/endpoints.py: two real visits web processes on scratch databases of the same
kind, seeded alike, reads then writes, interleaved rounds; here the "baseline" is tracing off.
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path

from tests.bench.endpoints import ENDPOINTS, read_and_write, subject_server
from tests.bench.load import require_wrk
from tests.bench.support import TraceSink, say

TARGETS = {"write": 0.9, "read": 0.9}  # what tracing may cost: at most a tenth


def measure(kind: str, ns: str, workdir: Path, **load) -> dict:
    require_wrk()
    endpoint = ENDPOINTS["visits"]
    place = workdir / f"tracing-{kind}"
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    say(f"tracing {kind}: visits on against off")
    with TraceSink() as sink, ExitStack() as stack:
        servers = {
            "subject": stack.enter_context(subject_server(endpoint, kind, ns, place, name="traced", sink=sink)),
            "baseline": stack.enter_context(subject_server(endpoint, kind, ns, place, name="untraced", sink=None)),
        }
        token = endpoint.token()
        figures = read_and_write(servers, {"subject": token, "baseline": token}, endpoint, place,
                                 f"tracing {kind}", TARGETS, **load)
        exported = sink.requests
    return {**figures, "subject_is": "tracing on (OTLP to a local sink)", "baseline_is": "tracing off",
            "trace_exports_received": exported}
