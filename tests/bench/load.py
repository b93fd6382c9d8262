"""HTTP load with wrk (Debian's `wrk`, C, one event loop): fixed connections and duration, POST via a Lua script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

RESULT_MARK = "BENCH_RESULT "

# One Lua state per wrk thread: `response` counts statuses there; `done` reads them through `threads`.
SCRIPT = """
wrk.method = "POST"
wrk.body = [==[%(body)s]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
%(auth)s
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  created = 0
  other = 0
end
function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local created_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    created_total = created_total + thread:get("created")
    other_total = other_total + thread:get("other")
  end
  io.write(string.format(
    '%(mark)s{"requests":%%d,"duration_us":%%d,"created":%%d,"other_status":%%d,' ..
    '"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},' ..
    '"latency_us":{"p50":%%.0f,"p90":%%.0f,"p99":%%.0f,"mean":%%.1f,"max":%%.0f}}\\n',
    summary.requests, summary.duration, created_total, other_total,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("the create-visit benchmark needs wrk: `apt-get install -y wrk` "
                           "(the Makefile's bench target installs it)")
    return path


def write_script(path: Path, body: dict, token: str | None) -> Path:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    path.write_text(SCRIPT % {"body": json.dumps(body), "auth": auth, "mark": RESULT_MARK})
    return path


def run_wrk(url: str, script: Path, seconds: float, connections: int, threads: int = 1) -> dict:
    """Run wrk for `seconds`; return requests/s, p50/p99 latency in ms and the error counts."""
    command = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(script), url]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip() or completed.stdout}")
    raw = json.loads(lines[-1].removeprefix(RESULT_MARK))
    seconds_measured = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    return {
        "requests_per_s": round(raw["created"] / seconds_measured, 1),  # only 201s count
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "requests": raw["requests"],
        "created": raw["created"],
        "other_status": raw["other_status"],
        "socket_errors": sum(v for k, v in raw["errors"].items() if k != "status"),
        "seconds": round(seconds_measured, 2),
    }
