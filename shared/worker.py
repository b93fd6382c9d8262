"""The worker process of a service: the outbox relay and, if the service listens to events, its consumer."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from shared.bus.consumer import EventConsumer
from shared.bus.relay import OutboxRelay
from shared.config import load_settings
from shared.http.probes import NOT_CONNECTED, OK, database_check
from shared.observability import OutboxCollector, init_logging, init_tracing, metrics_registry
from shared.periodic import PeriodicRunner
from shared.service import ServiceRuntime, ServiceSpec
from shared.uow import worker_unit_of_work
from shared.worker_probes import WorkerLoop, liveness_checks, probe_app, serve_probes

log = logging.getLogger("chancery.worker")


def run_worker(spec: ServiceSpec) -> None:
    settings = load_settings(spec.name)
    init_logging(settings)
    init_tracing(settings, spec.name, "worker")
    service = ServiceRuntime.build(spec, settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    # The loops that hold a broker connection; the worker is ready while each has its connection up.
    connected: list[OutboxRelay | EventConsumer] = [
        OutboxRelay(settings, service.database, service.outbox, service.topology)]
    if spec.subscriptions:
        connected.append(EventConsumer(settings, service.database, spec.tables, spec.subscriptions,
                                       lambda session, event: worker_unit_of_work(service, session, event["id"])))
    runs: list[Callable[[Any], None]] = [loop.run for loop in connected]
    if spec.periodic_tasks:
        runs.append(PeriodicRunner(service, spec.periodic_tasks).run)
    runs += [build(service) for build in spec.worker_loops]
    loops = [WorkerLoop(run, stop) for run in runs]
    probes = _serve_probes(service, loops, connected)
    for loop in loops:
        loop.thread.start()
    log.info("%s worker running: %s", spec.name, ", ".join(loop.name for loop in loops))
    while not stop.wait(0.5):
        if not all(loop.thread.is_alive() for loop in loops):
            log.error("a worker loop died; stopping so that the supervisor restarts the worker")
            stop.set()
    for loop in loops:
        loop.thread.join(timeout=15)
    if probes is not None:
        probes.shutdown()
    log.info("%s worker stopped", spec.name)


def _serve_probes(service: ServiceRuntime, loops: list[WorkerLoop], connected: list[OutboxRelay | EventConsumer]):
    """/metrics, /healthz and /readyz on the worker's metrics port, when it has one."""
    settings = service.settings
    if not settings.worker_metrics_port:
        return None

    def readiness() -> dict[str, str]:
        checks = {"database": database_check(service.database)}
        checks.update({type(loop).__name__: OK if loop.broker_connected else NOT_CONNECTED for loop in connected})
        return checks

    registry = metrics_registry([OutboxCollector(service.spec.name, service.read_backlog)])
    app = probe_app(service.spec.name, registry,
                    liveness_checks(loops, settings.worker_stall_seconds), readiness)
    return serve_probes(app, settings.bind_host, settings.worker_metrics_port)
