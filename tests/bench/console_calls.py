"""The console's CPU per call to a service (decision 0140), without the machine's noise: the same process's two
client paths, `Api.call` (the pool directly, one span) and its httpx client with the HTTPX instrumentation (what a
page's calls went through before), against a local server in another process, the client's CPU time only.

    .venv/bin/python -m tests.bench.console_calls [--calls 1000] [--alternations 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

from services.console.upstream import Api

PAGE = json.dumps({"items": [{"id": n, "title": f"Visit {n}", "starts_on": "2026-12-07"} for n in range(10)],
                   "total": 10}).encode()
PARAMS = {"status": "received", "page": 1, "page_size": 10}


class _Page(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the services answer
    disable_nagle_algorithm = True
    wbufsize = 65536  # headers and body in one segment

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args) -> None:
        pass


def _serve(listener: socket.socket) -> None:
    server = ThreadingHTTPServer(listener.getsockname(), _Page, bind_and_activate=False)
    server.socket = listener
    server.serve_forever()


def cpu_per_call_us(call, calls: int) -> float:
    for _ in range(200):
        call()
    started = time.process_time()
    for _ in range(calls):
        call()
    return round((time.process_time() - started) * 1e6 / calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.console_calls", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--alternations", type=int, default=2)
    args = parser.parse_args(argv)
    trace.set_tracer_provider(TracerProvider(sampler=ALWAYS_OFF))  # as the bench runs the console: no exporter
    listener = socket.create_server(("127.0.0.1", 0))
    server = multiprocessing.Process(target=_serve, args=(listener,), daemon=True)
    server.start()
    try:
        api = Api({"visits": f"http://127.0.0.1:{listener.getsockname()[1]}"}, timeout=5)
        paths = {
            "pool, client_span": lambda: api.call("t", "GET", "visits", "/invitations", params=PARAMS).body,
            "httpx client, HTTPX instrumentation": lambda: api.client.request(
                "GET", api.url("visits", "/invitations"), params=PARAMS, headers=api.headers("t")).json()}
        figures: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(args.alternations):
            for name, call in paths.items():
                figures[name].append(cpu_per_call_us(call, args.calls))
        print(json.dumps({"cpu_us_per_call": figures, "calls": args.calls}))
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
