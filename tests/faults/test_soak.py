"""The soak (`make soak`, not in `make test`): steady load on all five services for CHANCERY_SOAK_SECONDS
(30 minutes by default) with every broker and database connection reset every few seconds.

After a warm-up, the suite's footprint must stay flat: resident memory of each process grows less than 10%,
no process holds more file descriptors, no more connections pass the proxies, and the Prometheus
multiprocess files do not grow. The ledger proves nothing was lost or applied twice. The figures are
printed as one JSON line.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.faults.conftest import FaultySuite

pytestmark = [pytest.mark.integration, pytest.mark.soak]
SOAK_SECONDS = float(os.environ.get("CHANCERY_SOAK_SECONDS", "1800"))
WARM_UP_SECONDS = min(300.0, SOAK_SECONDS / 4)
RESET_EVERY_SECONDS = 5
MEMORY_GROWTH_LIMIT = 0.10
# Descriptors and connections come and go with requests in flight: growth is more than this many.
DESCRIPTOR_ALLOWANCE = 5
CONNECTION_ALLOWANCE = 5


def family(pid: int) -> list[int]:
    """The process and its children (a gunicorn master's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(child) for child in children)]


def resident_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def footprint(faults: FaultySuite) -> dict:
    processes = {}
    for (service, role), process in faults.suite.processes.items():
        for number, pid in enumerate(family(process.pid)):
            processes[f"{service} {role} {number}"] = {"rss_kib": resident_kib(pid),
                                                       "fds": len(os.listdir(f"/proc/{pid}/fd"))}
    metrics_files = [path for path in (faults.suite.workdir / "metrics").rglob("*.db")]
    return {"processes": processes, "broker_connections": faults.broker.open_links,
            "database_connections": faults.database.open_links, "metrics_files": len(metrics_files),
            "metrics_bytes": sum(path.stat().st_size for path in metrics_files)}


def run_with_resets(faults: FaultySuite, load, seconds: float) -> int:
    """Reset, then load for a while, and again: it ends with the connections made again since the last reset."""
    resets, deadline = 0, time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        resets += faults.broker.reset_links() + faults.database.reset_links()
        load.run_for(min(RESET_EVERY_SECONDS, left))
    return resets


@pytest.mark.timeout(SOAK_SECONDS + 900)
def test_a_soak_under_load_with_connection_resets_grows_neither_memory_nor_descriptors_nor_connections(faults):
    with faults.load() as load:
        resets = run_with_resets(faults, load, WARM_UP_SECONDS)
        before = footprint(faults)
        resets += run_with_resets(faults, load, SOAK_SECONDS - WARM_UP_SECONDS)
        after = footprint(faults)
    snapshot = faults.ledger.assert_exactly_once(timeout=300)

    growth = {name: round(after["processes"][name]["rss_kib"] / sample["rss_kib"] - 1, 4)
              for name, sample in before["processes"].items()}
    figures = {"seconds": SOAK_SECONDS, "warm_up_seconds": WARM_UP_SECONDS, "resets": resets,
               "writes": dict(load.successes), "refused": {f"{service} {status}": count for (service, status, _, _),
                                                           count in load.refusals.items()},
               "events": len(snapshot.events), "rss_growth": growth,
               "rss_kib_total": [sum(p["rss_kib"] for p in before["processes"].values()),
                                 sum(p["rss_kib"] for p in after["processes"].values())],
               "fds": {name: [sample["fds"], after["processes"][name]["fds"]]
                       for name, sample in before["processes"].items()},
               **{key: [before[key], after[key]] for key in ("broker_connections", "database_connections",
                                                              "metrics_files", "metrics_bytes")}}
    print("SOAK_RESULT " + json.dumps(figures, sort_keys=True))

    assert resets > 0
    assert load.statuses() <= {503}, "a request failed otherwise than with 503 (retry)"
    assert {name: rate for name, rate in growth.items() if rate >= MEMORY_GROWTH_LIMIT} == {}
    assert {name: fds for name, fds in figures["fds"].items() if fds[1] > fds[0] + DESCRIPTOR_ALLOWANCE} == {}
    for key in ("broker_connections", "database_connections"):
        assert after[key] <= before[key] + CONNECTION_ALLOWANCE, key
    assert after["metrics_files"] == before["metrics_files"]
    assert after["metrics_bytes"] <= before["metrics_bytes"] * 1.1
