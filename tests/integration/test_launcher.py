"""`chancery run` (what `make run` calls): starts the whole suite, says where it is, and stops it all."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.suite import SERVICES
from tests.console.people import Person
from tests.support.broker import delete_namespace
from tests.support.processes import REPO, eventually, free_port, http

pytestmark = pytest.mark.integration
CHANCERY = str(Path(sys.executable).parent / "chancery")


def launcher_env(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CHANCERY_", "PROMETHEUS"))}
    env.update({"CHANCERY_VAR_DIR": str(tmp_path), "CHANCERY_NAMESPACE": f"launch{os.getpid()}",
                "CHANCERY_WEB_WORKERS": "1"}, **extra)
    return env


def test_run_without_a_broker_says_so_in_one_line_and_how_to_start_one(tmp_path):
    closed_port = free_port()
    result = subprocess.run([CHANCERY, "run"], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env=launcher_env(tmp_path, CHANCERY_AMQP_URL=f"amqp://guest:guest@127.0.0.1:{closed_port}//"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "RabbitMQ is not reachable" in lines[0] and "rabbitmq-server -detached" in lines[0]
    assert "guest:guest" not in lines[0]  # no credentials in the message
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.timeout(180)
def test_run_starts_every_service_and_the_console_prints_their_urls_and_ctrl_c_stops_every_process(tmp_path):
    ports = {service: free_port() for service in (*SERVICES, "console")}
    workers = {service: free_port() for service in SERVICES}
    env = launcher_env(tmp_path, **{f"{service.upper()}_PORT": str(port) for service, port in ports.items()},
                       **{f"{service.upper()}_WORKER_PORT": str(port) for service, port in workers.items()})
    log = open(tmp_path / "run.log", "w")
    launcher = subprocess.Popen([CHANCERY, "run"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        eventually(lambda: all(http("GET", f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200
                               for port in ports.values()), timeout=120, interval=0.5, message="every /readyz")
        eventually(lambda: "Press Ctrl-C" in (tmp_path / "run.log").read_text(), timeout=30,
                   message="the banner")
        banner = (tmp_path / "run.log").read_text()
        for service in SERVICES:
            assert f"http://127.0.0.1:{ports[service]}/api/v1" in banner
            assert f"worker http://127.0.0.1:{workers[service]}/metrics" in banner
        eventually(lambda: all(http("GET", f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200
                               for port in workers.values()), timeout=60, interval=0.5, message="every worker")
        operator = Person(f"http://127.0.0.1:{ports['console']}")
        assert operator.sign_in("otto", ["operator"]).status_code == 302
        overview = operator.get("/operators").text
        for service in SERVICES:  # the console reads each worker where the launcher put it
            row = re.search(rf'<tr id="service-{service}">(.*?)</tr>', overview, re.S).group(1)
            worker = re.search(r'<td class="worker">(.*?)</td>', row, re.S).group(1)
            assert '<span class="up">' in worker, (service, worker)
        first_address = banner.split("Chancery is running", 1)[1].split("http://", 1)[1]
        assert first_address.startswith(f"127.0.0.1:{ports['console']}")  # the console's address comes first
        assert "chancery token --sub" in banner
        os.killpg(launcher.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        assert launcher.wait(60) == 0
        time.sleep(0.5)
        for port in (*ports.values(), *workers.values()):
            assert http("GET", f"http://127.0.0.1:{port}/healthz", timeout=2).status == 0
        started = [int(pid) for pid in (tmp_path / "run.pids").read_text().split()]
        assert len(started) == 2 * len(SERVICES) + 1  # a web and a worker each, and the console
        assert [pid for pid in started if Path(f"/proc/{pid}").exists()] == []
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
        log.close()
        delete_namespace(env["CHANCERY_NAMESPACE"], SERVICES, retry_delays="")
