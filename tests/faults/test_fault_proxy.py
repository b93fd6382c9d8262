"""The fault proxy itself, in front of the real broker: it forwards, refuses, resets, slows down and goes silent."""

from __future__ import annotations

import socket

import pytest
from kombu import Connection
from kombu.exceptions import OperationalError

from tests.support.faultproxy import FaultProxy
from tests.support.processes import BROKER_URL

pytestmark = pytest.mark.integration
REFUSED = (OSError, OperationalError)  # kombu wraps what the socket raised


def connected(proxy: FaultProxy, timeout: float = 2) -> Connection:
    connection = Connection(proxy.amqp_url, connect_timeout=timeout)
    connection.ensure_connection(max_retries=0)
    return connection


def round_trip(connection: Connection, timeout: float = 2) -> None:
    """One request the broker must answer (a channel's opening), within `timeout`."""
    connection.connection.transport.sock.settimeout(timeout)
    connection.channel().close()


@pytest.mark.timeout(60)
def test_the_fault_proxy_forwards_to_the_broker_and_refuses_while_cut():
    with FaultProxy(5672) as proxy:
        assert proxy.amqp_url != BROKER_URL
        forwarded = connected(proxy)
        assert proxy.open_links == 1
        proxy.cut()
        assert proxy.open_links == 0
        with pytest.raises(OSError):
            round_trip(forwarded)
        forwarded.collect()
        with pytest.raises(REFUSED):
            connected(proxy)
        proxy.restore()
        connected(proxy).release()


@pytest.mark.timeout(60)
def test_resetting_the_links_breaks_open_connections_and_lets_new_ones_through():
    with FaultProxy(5672) as proxy:
        first, second = connected(proxy), connected(proxy)
        assert proxy.reset_links() == 2
        for connection in (first, second):
            with pytest.raises(OSError):
                round_trip(connection)
            connection.collect()
        again = connected(proxy)
        round_trip(again)
        again.release()


@pytest.mark.timeout(60)
def test_a_silent_proxy_stalls_open_connections_and_never_answers_new_ones_until_restored():
    with FaultProxy(5672) as proxy:
        stalled = connected(proxy)
        proxy.blackhole()
        with pytest.raises((socket.timeout, TimeoutError)):
            round_trip(stalled, timeout=1)
        stalled.collect()
        with pytest.raises(REFUSED):
            connected(proxy, timeout=1)
        proxy.restore()
        restored = connected(proxy)
        round_trip(restored)
        restored.release()


@pytest.mark.timeout(60)
def test_latency_delays_every_chunk_beyond_a_shorter_timeout():
    with FaultProxy(5672) as proxy:
        proxy.slow_down(1.5)
        with pytest.raises(REFUSED):
            connected(proxy, timeout=1)
        proxy.restore()
        connected(proxy).release()
