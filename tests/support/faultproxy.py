"""A TCP proxy between the services and a real server (RabbitMQ, PostgreSQL) that a test can cut, slow
down, stall and restore.

The machine's broker and database are shared with other test runs and must never be stopped; the services
under test talk to them through this proxy instead, and the test breaks the proxy.
"""

from __future__ import annotations

import socket
import threading
import time

REFUSE = "refuse"  # new connections are accepted and reset at once, as a closed port would
BLACKHOLE = "blackhole"  # new connections are accepted and never answered, as a lost network would


def _close(sock: socket.socket, reset: bool = False) -> None:
    try:
        if reset:  # an RST rather than a FIN: the peer sees "connection reset"
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.shutdown(socket.SHUT_RDWR)  # wakes the pump thread blocked in recv()
    except OSError:
        pass
    sock.close()


class _Gate:
    """What every chunk passes through on its way: a delay (latency) and, while stalled, a wait."""

    def __init__(self):
        self.latency = 0.0
        self.flowing = threading.Event()
        self.flowing.set()

    def pass_through(self) -> None:
        if self.latency:
            time.sleep(self.latency)
        self.flowing.wait()


class _Link:
    """One client connection and its connection upstream, pumped both ways by two threads."""

    def __init__(self, client: socket.socket, upstream: socket.socket, gate: _Gate):
        self.client, self.upstream, self.gate = client, upstream, gate
        self._closed = threading.Lock()
        self.is_closed = False

    def pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.gate.pass_through()
                destination.sendall(data)
        except OSError:
            pass
        finally:
            self.close()

    def close(self, reset: bool = False) -> None:
        with self._closed:
            if self.is_closed:
                return
            self.is_closed = True
        _close(self.client, reset)
        _close(self.upstream, reset)


class FaultProxy:
    """Forwards 127.0.0.1:<free port> to `target_host:target_port` until `cut()` or `blackhole()`, and again
    after `restore()`; `reset_links()` resets the open connections, `slow_down()` adds latency to each chunk."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.settimeout(0.2)  # so that the accept loop notices stop()
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._mode: str | None = None
        self._links: set[_Link] = set()
        self._held: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._acceptor: threading.Thread | None = None
        self._gate = _Gate()

    @property
    def amqp_url(self) -> str:
        """The URL of the proxied broker, as the services see it (RabbitMQ's guest user, vhost `/`)."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def open_links(self) -> int:
        with self._lock:
            return sum(not link.is_closed for link in self._links)

    def start(self) -> FaultProxy:
        self._acceptor = threading.Thread(target=self._accept_loop, name="faultproxy-accept", daemon=True)
        self._acceptor.start()
        return self

    def cut(self, mode: str = REFUSE) -> None:
        """Close every current connection (with a reset) and refuse or blackhole new ones."""
        if mode not in (REFUSE, BLACKHOLE):
            raise ValueError(f"unknown cut mode {mode!r}")
        with self._lock:
            self._mode = mode
            links, self._links = self._links, set()
        for link in links:
            link.close(reset=True)

    def blackhole(self) -> None:
        """The network goes silent: open connections stay open but carry nothing, new ones are never answered."""
        self._gate.flowing.clear()
        with self._lock:
            self._mode = BLACKHOLE

    def reset_links(self) -> int:
        """Reset every open connection, as a flaky network would; new connections are forwarded as before.
        Returns how many were reset."""
        with self._lock:
            links, self._links = {link for link in self._links if not link.is_closed}, set()
        for link in links:
            link.close(reset=True)
        return len(links)

    def slow_down(self, seconds: float) -> None:
        """Delay every chunk in each direction by `seconds` (0 for none)."""
        self._gate.latency = seconds

    def restore(self) -> None:
        """Forward new connections again, without latency; connections blackholed during a cut are reset,
        stalled ones flow again."""
        self._gate.latency = 0.0
        self._gate.flowing.set()
        with self._lock:
            self._mode = None
            held, self._held = self._held, []
        for sock in held:
            _close(sock, reset=True)

    def stop(self) -> None:
        """Close every connection and join every thread the proxy started."""
        self._stopping.set()
        self._gate.flowing.set()  # stalled pumps carry on to see their sockets closed
        self.cut(REFUSE)
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)  # no connection is admitted after the accept loop ends
        with self._lock:
            held, self._held = self._held, []
            threads = [t for t in (self._acceptor, *self._threads) if t is not None]
        for sock in held:
            _close(sock, reset=True)
        for thread in threads:
            thread.join(timeout=5)
        self._listener.close()
        alive = [thread.name for thread in threads if thread.is_alive()]
        if alive:
            raise RuntimeError(f"fault proxy threads still running: {alive}")

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _spawn(self, target, name: str, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self._admit(client)

    def _admit(self, client: socket.socket) -> None:
        if self._hold_or_refuse(client):
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _close(client, reset=True)
            return
        link = _Link(client, upstream, self._gate)
        with self._lock:
            forwarding = self._mode is None
            if forwarding:
                self._links = {known for known in self._links if not known.is_closed} | {link}
        if not forwarding:  # cut while connecting upstream
            link.close(reset=True)
            return
        self._spawn(link.pump, "faultproxy-up", client, upstream)
        self._spawn(link.pump, "faultproxy-down", upstream, client)

    def _hold_or_refuse(self, client: socket.socket) -> bool:
        with self._lock:
            mode = self._mode
            if mode == BLACKHOLE:
                self._held.append(client)
        if mode == REFUSE:
            _close(client, reset=True)
        return mode is not None
