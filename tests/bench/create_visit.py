"""Figure 1: create-visit requests/s and latency, the real visits web process against a bare Flask insert.

Both run under gunicorn with the production settings (`-c python:shared.gunicorn_conf`: the same workers,
threads and worker class), each on its own scratch database of the same kind. The visits web process runs
as in production (tracing exporter none, Prometheus multiprocess metrics on); its worker does not run, so
the figure is the request path alone (the relay has its own figure). Runs are interleaved, baseline and
subject in alternating order, so that both share the noise of a busy machine; the ratio is the median of
the per-round ratios.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shared.config import load_settings
from shared.http.auth import mint_development_token
from tests.bench import baseline_app
from tests.bench.load import require_wrk, run_wrk, write_script
from tests.bench.support import Gunicorn, ScratchDatabase, median, migrate, say, service_env
from tests.support.processes import VISIT, http

TARGET = 0.75
PATH = "/api/v1/visits"


def measure(kind: str, ns: str, workdir: Path, *, seconds: float, rounds: int, connections: int,
            warmup: float) -> dict:
    require_wrk()
    workdir = workdir / f"create-visit-{kind}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    token = mint_development_token(load_settings("visits", {"CHANCERY_ENV": "development"}), "bench", ["protocol"])
    with ScratchDatabase(kind, f"{ns}_visits", workdir) as subject_db, \
            ScratchDatabase(kind, f"{ns}_baseline", workdir) as baseline_db:
        subject_env = service_env("visits", ns, workdir, subject_db.url, 0)
        migrate("visits", subject_env)
        baseline_app.create_schema(baseline_db.url)
        baseline_env = {**service_env("visits", ns, workdir, baseline_db.url, 0),
                        "BENCH_DATABASE_URL": baseline_db.url}
        baseline_env.pop("PROMETHEUS_MULTIPROC_DIR")
        subject = Gunicorn("visits-web", "services.visits.app:create_app()", subject_env, workdir)
        baseline = Gunicorn("baseline-web", "tests.bench.baseline_app:create_app()", baseline_env, workdir)
        servers = {"subject": subject, "baseline": baseline}
        try:
            for server in servers.values():
                server.start()
            scripts = {"subject": write_script(workdir / "subject.lua", VISIT, token),
                       "baseline": write_script(workdir / "baseline.lua", VISIT, None)}
            for role, server in servers.items():
                answer = http("POST", server.base_url + PATH, VISIT, token=token if role == "subject" else None)
                if answer.status != 201:
                    raise RuntimeError(f"{role} answered {answer.status}: {answer.body}")
            say(f"create-visit {kind}: warm-up {warmup:.0f}s each")
            for role, server in servers.items():
                run_wrk(server.base_url + PATH, scripts[role], warmup, connections)
            runs: dict[str, list[dict]] = {"subject": [], "baseline": []}
            for number in range(rounds):
                order = ("baseline", "subject") if number % 2 == 0 else ("subject", "baseline")
                for role in order:
                    cpu_before = servers[role].workers_cpu_seconds()
                    result = run_wrk(servers[role].base_url + PATH, scripts[role], seconds, connections)
                    cpu_after = servers[role].workers_cpu_seconds()
                    if cpu_before is not None and cpu_after is not None and result["created"]:
                        result["cpu_ms_per_request"] = round((cpu_after - cpu_before) * 1000 / result["created"], 2)
                    runs[role].append(result)
                    say(f"create-visit {kind} round {number + 1}/{rounds} {role}: "
                        f"{result['requests_per_s']} req/s p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms")
        finally:
            for server in servers.values():
                server.stop()
    pairs = zip(runs["subject"], runs["baseline"], strict=True)
    ratios = [s["requests_per_s"] / b["requests_per_s"] for s, b in pairs if b["requests_per_s"]]
    ratio = median(ratios)
    return {
        "subject": summarize(runs["subject"]),
        "baseline": summarize(runs["baseline"]),
        "ratio": round(ratio, 3) if ratio is not None else None,
        "ratio_per_round": [round(r, 3) for r in ratios],
        "cpu_ratio": _cpu_ratio(runs),
        "target": f">= {TARGET}",
        "met": ratio is not None and ratio >= TARGET,
    }


def summarize(runs: list[dict]) -> dict:
    """Medians over the rounds, plus totals of anything that went wrong."""
    return {
        "requests_per_s": round(median([r["requests_per_s"] for r in runs]), 1),
        "p50_ms": round(median([r["p50_ms"] for r in runs]), 2),
        "p99_ms": round(median([r["p99_ms"] for r in runs]), 2),
        "max_ms": max(r["max_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "non_201": sum(r["other_status"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        # CPU of the gunicorn workers per 201: on a shared 2-core machine, less noisy than requests/s.
        "cpu_ms_per_request": median([r.get("cpu_ms_per_request") for r in runs]),
        "rounds": [{k: r.get(k) for k in ("requests_per_s", "p50_ms", "p99_ms", "cpu_ms_per_request")} for r in runs],
    }


def _cpu_ratio(runs: dict[str, list[dict]]) -> float | None:
    """Baseline CPU per request over the subject's: what the throughput ratio would be if CPU were all."""
    subject = median([r.get("cpu_ms_per_request") for r in runs["subject"]])
    baseline = median([r.get("cpu_ms_per_request") for r in runs["baseline"]])
    return round(baseline / subject, 3) if subject and baseline else None
