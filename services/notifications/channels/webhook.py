"""Webhooks signed per the Standard Webhooks specification, sent only to public addresses (SSRF) unless
configuration allows a network, to the address that was checked (no second DNS answer), never following
redirects."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from services.notifications.channels import ChannelError, Outgoing
from services.notifications.domain.targets import Network, TargetRefused, host_and_port, refuse_private
from services.notifications.settings import NotificationSettings

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signatures(secrets: tuple[str, ...], message_id: str, timestamp: int, body: bytes) -> str:
    """`webhook-signature`: one signature per secret in force, space-separated (Standard Webhooks), so a
    receiver verifying with either the old or the new secret accepts the message during a rotation."""
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)


def vetted_address(url: str, allowed: tuple[Network, ...]) -> tuple[str, int, str]:
    """(host, port, the one checked IP address to connect to); TargetRefused when any answer is private."""
    host, port = host_and_port(url)
    try:
        answers = {str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except socket.gaierror as error:
        raise TargetRefused(f"{host} does not resolve: {error}") from error
    for answer in answers:
        refuse_private(ipaddress.ip_address(answer.split("%")[0]), allowed)
    return host, port, sorted(answers)[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class WebhookChannel:
    def __init__(self, settings: NotificationSettings):
        self.settings = settings

    def send(self, outgoing: Outgoing) -> None:
        try:
            host, port, address = vetted_address(outgoing.target, self.settings.webhook_allowed_networks)
        except TargetRefused as error:
            raise ChannelError(f"refused: {error}", retryable=False) from error
        body = json.dumps(outgoing.payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": "Chancery-Webhooks/1",
                   # The delivery's id: the same on every attempt, so the receiver can drop a repeat.
                   "webhook-id": outgoing.id, "webhook-timestamp": str(timestamp),
                   "webhook-signature": signatures(outgoing.secrets, outgoing.id, timestamp, body)}
        connection_class = _PinnedHTTPSConnection if outgoing.target.startswith("https:") else _PinnedHTTPConnection
        connection = connection_class(host, port, address, self.settings.send_timeout_seconds)
        try:
            connection.request("POST", _path_of(outgoing.target), body=body, headers=headers)
            status = connection.getresponse().status
        except (OSError, http.client.HTTPException) as error:
            raise ChannelError(f"{type(error).__name__}: {error}") from error
        finally:
            connection.close()
        if not 200 <= status < 300:
            # Redirects are failures: following one would leave the checked address.
            raise ChannelError(f"the receiver answered {status}", retryable=status not in (400, 401, 403, 404, 410))


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
