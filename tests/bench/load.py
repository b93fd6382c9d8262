"""HTTP load with wrk (Debian's `wrk`, C, one event loop): fixed connections and duration, any method via Lua.

A write's body may hold `@N@`: each request replaces it with a number of its own (the run's start second and
a counter), so that names and identifiers a service keeps unique differ from one request to the next.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.bench.support import median, rounded, say

RESULT_MARK = "BENCH_RESULT "
UNIQUE = "@N@"

# One Lua state per wrk thread: `response` counts statuses there; `done` reads them through `threads`.
SCRIPT = """
local method, expected = "%(method)s", %(expected)d
local template = [==[%(body)s]==]
local headers = {["Accept"] = "application/json", ["Content-Type"] = "application/json"}
%(auth)s
local threads = {}
function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end
function init(args)
  ok = 0
  other = 0
  counter = 0
  prefix = string.format("%%d%%d", os.time() %% 100000000, number)
end
function request()
  local body = nil
  if template ~= "" then
    counter = counter + 1
    body = string.gsub(template, "%(unique)s", prefix .. string.format("%%07d", counter))
  end
  return wrk.format(method, nil, headers, body)
end
function response(status, headers, body)
  if status == expected then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local ok_total, other_total = 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    other_total = other_total + thread:get("other")
  end
  io.write(string.format(
    '%(mark)s{"requests":%%d,"duration_us":%%d,"ok":%%d,"other_status":%%d,' ..
    '"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},' ..
    '"latency_us":{"p50":%%.0f,"p90":%%.0f,"p99":%%.0f,"mean":%%.1f,"max":%%.0f}}\\n',
    summary.requests, summary.duration, ok_total, other_total,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
"""


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("the HTTP benchmarks need wrk: `apt-get install -y wrk` "
                           "(the Makefile's bench target installs it)")
    return path


def write_script(path: Path, method: str, body: dict | None, token: str | None,
                 headers: dict[str, str] | None = None) -> Path:
    """A wrk script sending `method` with `body` (None: no body) and `headers` (a console page's session cookie);
    only 201 (writes) or 200 (reads) count."""
    sent = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    auth = "\n".join(f'headers["{name}"] = "{value}"' for name, value in sent.items())
    expected = 201 if method == "POST" else 200
    path.write_text(SCRIPT % {"method": method, "expected": expected, "body": json.dumps(body) if body else "",
                              "auth": auth, "mark": RESULT_MARK, "unique": UNIQUE})
    return path


def run_wrk(url: str, script: Path, seconds: float, connections: int, threads: int = 1) -> dict:
    """Run wrk for `seconds`; return answers/s (expected status only), latency in ms and the error counts."""
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
        "requests_per_s": round(raw["ok"] / seconds_measured, 1),
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "requests": raw["requests"],
        "ok": raw["ok"],
        "other_status": raw["other_status"],
        "socket_errors": sum(v for k, v in raw["errors"].items() if k != "status"),
        "seconds": round(seconds_measured, 2),
    }


def compare(servers: dict, tokens: dict[str, str | None], method: str, path: str, body: dict | None,
            workdir: Path, label: str, *, target: float, seconds: float, rounds: int, connections: int,
            warmup: float, same_work_target: float | None = None) -> dict:
    """wrk against servers["subject"] and servers["baseline"] (tests.bench.support.Gunicorn), and
    servers["same_work"] when given, in interleaved rounds, their order reversed every other round, so that they
    share the noise of a busy machine.

    The ratio is the median of the per-round ratios of answers/s (subject / baseline); the CPU ratio is
    the baseline's CPU per answer over the subject's (less noisy than answers/s on a shared machine). The same
    figures against the same-work baseline go under "same_work", with its own goal.
    """
    scripts = {role: write_script(workdir / f"{role}-{method.lower()}.lua", method, body, tokens.get(role))
               for role in servers}
    say(f"{label}: warm-up {warmup:.0f}s each")
    for role, server in servers.items():
        run_wrk(server.base_url + path, scripts[role], warmup, connections)
    runs: dict[str, list[dict]] = {role: [] for role in servers}
    roles = sorted(servers, key=lambda role: role != "baseline")  # the baseline first in the first round
    for number in range(rounds):
        for role in roles if number % 2 == 0 else reversed(roles):
            cpu_before = servers[role].workers_cpu_seconds()
            result = run_wrk(servers[role].base_url + path, scripts[role], seconds, connections)
            cpu_after = servers[role].workers_cpu_seconds()
            if cpu_before is not None and cpu_after is not None and result["ok"]:
                result["cpu_ms_per_request"] = round((cpu_after - cpu_before) * 1000 / result["ok"], 2)
            runs[role].append(result)
            say(f"{label} round {number + 1}/{rounds} {role}: {result['requests_per_s']} req/s "
                f"p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms")
    clean = not any(r["other_status"] for r in runs["subject"])
    figure = {"subject": summarize(runs["subject"]), "baseline": summarize(runs["baseline"]),
              **_against(runs["subject"], runs["baseline"], target, clean)}
    if "same_work" in runs:
        assert same_work_target is not None, "a same-work baseline needs its goal"
        figure["same_work"] = {"baseline": summarize(runs["same_work"]),
                               **_against(runs["subject"], runs["same_work"], same_work_target, clean)}
    return figure


def _against(subject: list[dict], baseline: list[dict], target: float, clean: bool) -> dict:
    """The subject's rounds over a baseline's: the median ratio of answers/s, each round's, the CPU ratio, the goal."""
    ratios = [s["requests_per_s"] / b["requests_per_s"] for s, b in zip(subject, baseline, strict=True)
              if b["requests_per_s"]]
    ratio = median(ratios)
    return {
        "ratio": rounded(ratio),
        "ratio_per_round": [round(r, 3) for r in ratios],
        "cpu_ratio": _cpu_ratio(subject, baseline),
        "target": f">= {target}",
        "met": ratio is not None and ratio >= target and clean,
    }


def summarize(runs: list[dict]) -> dict:
    """Medians over the rounds, plus totals of anything that went wrong."""
    return {
        "requests_per_s": round(median([r["requests_per_s"] for r in runs]), 1),
        "p50_ms": round(median([r["p50_ms"] for r in runs]), 2),
        "p99_ms": round(median([r["p99_ms"] for r in runs]), 2),
        "max_ms": max(r["max_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "unexpected_status": sum(r["other_status"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "cpu_ms_per_request": median([r.get("cpu_ms_per_request") for r in runs]),
        "rounds": [{k: r.get(k) for k in ("requests_per_s", "p50_ms", "p99_ms", "cpu_ms_per_request")} for r in runs],
    }


def _cpu_ratio(subject_runs: list[dict], baseline_runs: list[dict]) -> float | None:
    subject = median([r.get("cpu_ms_per_request") for r in subject_runs])
    baseline = median([r.get("cpu_ms_per_request") for r in baseline_runs])
    return round(baseline / subject, 3) if subject and baseline else None
