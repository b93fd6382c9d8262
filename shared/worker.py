"""The worker process of a service: the outbox relay and, if the service listens to events, its consumer."""

from __future__ import annotations

import logging
import signal
import threading

from prometheus_client import start_http_server

from shared.bus.consumer import EventConsumer
from shared.bus.relay import OutboxRelay
from shared.config import load_settings
from shared.observability import OutboxCollector, init_logging, init_tracing, metrics_registry
from shared.periodic import PeriodicRunner
from shared.service import ServiceRuntime, ServiceSpec
from shared.uow import worker_unit_of_work

log = logging.getLogger("chancery.worker")


def run_worker(spec: ServiceSpec) -> None:
    settings = load_settings(spec.name)
    init_logging(settings)
    init_tracing(settings, "worker")
    service = ServiceRuntime.build(spec, settings)
    if settings.worker_metrics_port:
        registry = metrics_registry([OutboxCollector(spec.name, service.read_backlog)])
        start_http_server(settings.worker_metrics_port, addr=settings.bind_host, registry=registry)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    loops = [OutboxRelay(settings, service.database, service.outbox, service.topology).run]
    if spec.subscriptions:
        loops.append(EventConsumer(settings, service.database, spec.tables, spec.subscriptions,
                                   lambda session, event: worker_unit_of_work(service, session, event["id"])).run)
    if spec.periodic_tasks:
        loops.append(PeriodicRunner(service, spec.periodic_tasks).run)
    loops += [build(service) for build in spec.worker_loops]
    threads = [threading.Thread(target=loop, args=(stop,), name=loop.__self__.__class__.__name__)
               for loop in loops]
    for thread in threads:
        thread.start()
    log.info("%s worker running: %s", spec.name, ", ".join(t.name for t in threads))
    while not stop.wait(0.5):
        if not all(thread.is_alive() for thread in threads):
            log.error("a worker loop died; stopping so that the supervisor restarts the worker")
            stop.set()
    for thread in threads:
        thread.join(timeout=15)
    log.info("%s worker stopped", spec.name)
