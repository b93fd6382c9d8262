"""The worker's own HTTP server: /metrics, /healthz (every loop alive and making progress) and /readyz
(database and broker connections up), for Prometheus and the container's probes."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, request
from prometheus_client import CollectorRegistry
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from shared.http.probes import OK, metrics_response, probe_answer
from shared.observability import HTTP_REQUESTS

Checks = Callable[[], dict[str, str]]


class LoopHeartbeat:
    """What one worker loop sees of the worker's stop event, noting each time the loop looks at it.

    Every loop looks at the stop event once a turn (`is_set()`, or `wait(t)` when it has nothing to do for
    t seconds), so each look is a heartbeat, and a `wait(t)` also says when the next one is due. A loop that
    is late by more than the stall limit is stuck (a hung call, a deadlock), not idle.
    """

    def __init__(self, stop: threading.Event, clock: Callable[[], float] = time.monotonic):
        self._stop, self._clock = stop, clock
        self._due = clock()

    def is_set(self) -> bool:
        self._due = self._clock()
        return self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        self._due = math.inf if timeout is None else self._clock() + timeout
        stopped = self._stop.wait(timeout)
        self._due = self._clock()
        return stopped

    def late_by(self) -> float:
        return max(0.0, self._clock() - self._due)


class WorkerLoop:
    """One loop of the worker in its own thread, with its heartbeat."""

    def __init__(self, run: Callable[[LoopHeartbeat], None], stop: threading.Event,
                 clock: Callable[[], float] = time.monotonic):
        self.name = type(getattr(run, "__self__", run)).__name__  # the class of the loop whose `run` it is
        self.heartbeat = LoopHeartbeat(stop, clock)
        self.thread = threading.Thread(target=run, args=(self.heartbeat,), name=self.name)

    def state(self, stall_seconds: float) -> str:
        if not self.thread.is_alive():
            return "stopped"
        late = self.heartbeat.late_by()
        return f"no progress for {late:.0f}s" if late > stall_seconds else OK


def liveness_checks(loops: list[WorkerLoop], stall_seconds: float) -> Checks:
    return lambda: {loop.name: loop.state(stall_seconds) for loop in loops}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args) -> None:  # probes every few seconds would drown the worker's own log
        pass


def probe_app(service: str, registry: CollectorRegistry, liveness: Checks, readiness: Checks) -> Flask:
    app = Flask(f"{service}-worker")

    @app.after_request
    def count(response: Response) -> Response:
        # Counted like the web's answers, so that the ReadinessFailing alert sees a worker that is not ready.
        route = request.url_rule.rule if request.url_rule else "unmatched"
        HTTP_REQUESTS.labels(service, route, request.method, str(response.status_code)).inc()
        return response

    @app.get("/metrics")
    def metrics():
        return metrics_response(registry)

    @app.get("/healthz")
    def healthz():
        return probe_answer("alive", liveness())

    @app.get("/readyz")
    def readyz():
        return probe_answer("ready", readiness())

    return app


def serve_probes(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """Serve `app` from a daemon thread; `shutdown()` the returned server to stop it."""
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="probes", daemon=True).start()
    return server
