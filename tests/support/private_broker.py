"""A RabbitMQ node of the test's own, booted from deploy/rabbitmq/definitions.json, for tests that must see
the broker's real permission checks (the machine's broker is shared and runs with guest only).

It runs Debian's rabbitmq-server with its own node name, ports and directories under a temporary
directory, without plugins unless asked for rabbitmq_prometheus (on a free port of its own), and is stopped by its
PID. It registers with the epmd that the machine's
broker already runs (`-start_epmd false`: it never starts one of its own, which would outlive it).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from kombu import Connection

from tests.support.processes import REPO, free_port

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
CTL = SERVER.with_name("rabbitmqctl")
DEFINITIONS = REPO / "deploy" / "rabbitmq" / "definitions.json"
BOOT_SECONDS = 90  # about 10 s on an idle machine; much more on a loaded one


def password_hash(password: str) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt."""
    salt = secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions_with_known_passwords() -> dict:
    """The repository's definitions as they are, but every user's password is its name: the test logs in
    as each user, and passwords are not what it checks (production ones are not in the repository)."""
    definitions = json.loads(DEFINITIONS.read_text())
    for user in definitions["users"]:
        user["password_hash"] = password_hash(user["name"])
        user["hashing_algorithm"] = "rabbit_password_hashing_sha256"
    return definitions


class PrivateBroker:
    """`advanced` is the node's advanced.config (Erlang terms), for settings rabbitmq.conf does not take;
    `configuration`, more lines of its rabbitmq.conf; `prometheus`, the rabbitmq_prometheus plugin enabled on this
    node alone, listening on `metrics_url`; `cookie`, the Erlang cookie of nodes that `join` one cluster."""

    def __init__(self, workdir: Path, advanced: str = "[].", configuration: str = "", prometheus: bool = False,
                 cookie: str = ""):
        self.workdir = workdir
        self.advanced = advanced
        self.configuration = configuration
        self.cookie = cookie
        self.port = free_port()
        self.dist_port = free_port()
        self.prometheus_port = free_port() if prometheus else 0
        self.node = f"chancery-test-{uuid.uuid4().hex[:8]}@localhost"
        self.process: subprocess.Popen | None = None
        self.boot_seconds = 0.0

    def url(self, user: str) -> str:
        return f"amqp://{user}:{user}@127.0.0.1:{self.port}//"

    def metrics_url(self, path_and_query: str) -> str:
        assert self.prometheus_port, "this node was started without rabbitmq_prometheus"
        return f"http://127.0.0.1:{self.prometheus_port}{path_and_query}"

    def _write_configuration(self) -> dict[str, str]:
        self.workdir.mkdir(parents=True, exist_ok=True)
        definitions = self.workdir / "definitions.json"
        definitions.write_text(json.dumps(definitions_with_known_passwords()))
        config = self.workdir / "rabbitmq.conf"
        prometheus = f"prometheus.tcp.ip = 127.0.0.1\nprometheus.tcp.port = {self.prometheus_port}\n"
        config.write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
                          "loopback_users = none\n"
                          f"load_definitions = {definitions}\n"
                          + (prometheus if self.prometheus_port else "") + self.configuration)
        advanced = self.workdir / "advanced.config"
        advanced.write_text(self.advanced + "\n")
        plugins = self.workdir / "enabled_plugins"
        plugins.write_text("[rabbitmq_prometheus].\n" if self.prometheus_port else "[].\n")
        if self.cookie:
            cookie = self.workdir / ".erlang.cookie"
            cookie.write_text(self.cookie)
            cookie.chmod(0o400)  # Erlang refuses a cookie others may read
        return {
            "HOME": str(self.workdir),  # its own .erlang.cookie
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.workdir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.workdir / "log"),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(advanced),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(plugins),
            "RABBITMQ_PLUGINS_EXPAND_DIR": str(self.workdir / "plugins"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-start_epmd false",
            # The script then execs the Erlang VM instead of staying as its parent: the PID is the node's.
            "RUNNING_UNDER_SYSTEMD": "1",
        }

    def start(self) -> PrivateBroker:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("RABBITMQ_", "ERL_"))}
        env.update(self._write_configuration())
        started = time.monotonic()
        with open(self.workdir / "server.log", "ab") as log:
            self.process = subprocess.Popen([str(SERVER)], env=env, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_it_accepts("guest", started + BOOT_SECONDS)
        if self.prometheus_port:
            self._wait_until_metrics_answer(started + BOOT_SECONDS)
        self.boot_seconds = time.monotonic() - started
        return self

    def ctl(self, *arguments: str) -> str:
        """What rabbitmqctl answers for this node (it reaches the node with the node's own cookie)."""
        command = [str(CTL), "-n", self.node, "-q", *arguments]
        result = subprocess.run(command, env={**os.environ, "HOME": str(self.workdir)}, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def join(self, other: PrivateBroker) -> None:
        """This node, emptied, made a member of `other`'s cluster (both started with the same `cookie`)."""
        for arguments in (("stop_app",), ("reset",), ("join_cluster", other.node), ("start_app",)):
            self.ctl(*arguments)
        self._wait_until_it_accepts("guest", time.monotonic() + BOOT_SECONDS)

    def list_queues(self) -> list[dict]:
        """Every queue with the policy in effect."""
        return json.loads(self.ctl("list_queues", "name", "policy", "--formatter", "json"))

    def _wait_until_it_accepts(self, user: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited with {self.process.returncode}; see {self.workdir}")
            try:
                with Connection(self.url(user), connect_timeout=1) as connection:
                    connection.connect()
                return
            except Exception:  # noqa: BLE001 - not listening yet, or definitions not loaded yet
                time.sleep(0.25)
        raise RuntimeError(f"rabbitmq-server did not accept {user} within {BOOT_SECONDS}s; see {self.workdir}")

    def _wait_until_metrics_answer(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.metrics_url("/metrics"), timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:  # the plugin's listener is not up yet
                time.sleep(0.25)
        raise RuntimeError(f"rabbitmq_prometheus did not answer within {BOOT_SECONDS}s; see {self.workdir}")

    def stop(self) -> None:
        """SIGTERM (the node shuts down cleanly in a few seconds), then SIGKILL if it has not."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def __enter__(self) -> PrivateBroker:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
