"""The suite tests' own process handling: whatever a test starts, it stops, even when start-up fails."""

import pytest

from tests.support.processes import Suite

pytestmark = pytest.mark.integration


class NeverReady(Suite):
    def wait_ready(self, timeout: float = 60) -> None:
        self.started = list(self.processes.values())
        raise RuntimeError("not ready")


def test_a_suite_that_never_becomes_ready_stops_every_process_it_started(tmp_path):
    suite = NeverReady(("visits",), tmp_path)
    with pytest.raises(RuntimeError, match="not ready"), suite:
        pass
    assert len(suite.started) == 2
    assert [process.pid for process in suite.started if process.poll() is None] == []
