"""Where a service's request time goes: py-spy samples its real web process under wrk load.

    .venv/bin/python -m tests.bench.profile visits write [--seconds 15] [--database sqlite]

Starts the service as tests/bench/endpoints.py does (metrics and tracing on), seeds it, drives the read or
the write with wrk, and samples every gunicorn worker with py-spy (the `bench` extra). Writes the collapsed
stacks to var/bench/profile-<service>-<read|write>.txt and prints the functions with the largest share of
samples, inclusive: what to look at first.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from tests.bench.endpoints import ENDPOINTS, READ_QUERY, SEED_ROWS, seed, subject_server
from tests.bench.load import run_wrk, write_script
from tests.bench.support import BENCH_DIR, TraceSink, namespace, say
from tests.support.processes import BIN


def record(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
                             "--duration", str(round(seconds)), "--rate", "200", "--gil", "--nonblocking", "--output",
                             str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def inclusive_shares(stacks: Path, top: int) -> list[tuple[float, str]]:
    """Each function's share of the samples in which it is on the stack (once per sample), largest first."""
    counts: Counter[str] = Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        seen = {frame.split(" (")[0] + " " + frame.split("/")[-1].split(":")[0].rstrip(")")
                for frame in frames.split(";")[1:]}
        for frame in seen:
            counts[frame] += samples
    return [(round(100 * n / total, 1), frame) for frame, n in counts.most_common(top)] if total else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("service", choices=sorted(ENDPOINTS))
    parser.add_argument("operation", choices=("read", "write"))
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args(argv)
    endpoint = ENDPOINTS[args.service]
    workdir = BENCH_DIR / "work" / f"profile-{args.service}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    output = BENCH_DIR / f"profile-{args.service}-{args.operation}.txt"
    method, path, body = ("POST", endpoint.path, endpoint.body) if args.operation == "write" else \
        ("GET", endpoint.path + READ_QUERY, None)
    token = endpoint.token()
    with TraceSink() as sink, subject_server(endpoint, args.database, namespace(), workdir, name="profiled",
                                             sink=sink) as server:
        seed(server, endpoint, token, SEED_ROWS)
        script = write_script(workdir / "profile.lua", method, body, token)
        run_wrk(server.base_url + path, script, 2, 8)
        say(f"profiling {args.service} {args.operation} for {args.seconds:.0f}s")
        sampler = record(server.process.pid, args.seconds + 1, output)
        load = threading.Thread(target=run_wrk, args=(server.base_url + path, script, args.seconds, 8))
        load.start()
        load.join()
        _, errors = sampler.communicate(timeout=60)
        if sampler.returncode:
            print(errors.decode(errors="replace"), file=sys.stderr)
            return 1
    for share, frame in inclusive_shares(output, args.top):
        print(f"{share:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
