"""The staff console started as a real gunicorn process beside a Suite's services (decision 0090)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.support.processes import BIN, REPO, TEST_HEARTBEAT_SECONDS, Suite, free_port, http


class Console:
    def __init__(self, suite: Suite, env: dict[str, str] | None = None):
        self.suite = suite
        self.port = free_port()
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.suite.workdir / "console-web.log"

    def env(self) -> dict[str, str]:
        base = self.suite.env(self.suite.services[0])
        env = {key: value for key, value in base.items() if not key.startswith(tuple(
            f"{name.upper()}_" for name in self.suite.services))}
        env.update({"CHANCERY_SERVICE": "console", "CONSOLE_PORT": str(self.port),
                    "CONSOLE_DATABASE_URL": f"sqlite:///{self.suite.workdir / 'console.db'}",
                    "CHANCERY_WEB_THREADS": "16",
                    "CONSOLE_STREAM_HEARTBEAT_SECONDS": str(TEST_HEARTBEAT_SECONDS),
                    "CHANCERY_TRACES_FILE": str(self.suite.workdir / "traces-console.jsonl"),
                    "PROMETHEUS_MULTIPROC_DIR": str(self.suite.workdir / "metrics" / "console")})
        env.update({f"CONSOLE_{name.upper()}_URL": f"http://127.0.0.1:{port}"
                    for name, port in self.suite.ports.items()})
        env.update(self.extra_env)
        return env

    def start(self) -> Console:
        (self.suite.workdir / "metrics" / "console").mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:shared.gunicorn_conf", "services.console.app:create_app()"],
            env=self.env(), cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        # The suite's stop signals the console with its own processes, so their graceful stops overlap.
        self.suite.processes[("console", self.role)] = self.process
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if http("GET", self.url("/readyz"), timeout=2).status == 200:
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the console did not become ready; see {self.log_path}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def role(self) -> str:
        return f"web-{self.port}"

    def stop(self) -> None:
        """Stop this console alone, before its suite (a module's console stops with its suite, `Suite.stop`)."""
        self.suite.processes.pop(("console", self.role), None)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
