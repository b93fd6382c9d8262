"""Delivery to the outside: the channels the worker sends through (each raises ChannelError when a delivery did
not happen), the dispatcher that calls them, and the city systems' queues kept in step on the broker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class ChannelError(Exception):
    """The delivery failed; `retryable` says whether trying again later may succeed."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Outgoing:
    """One delivery as the channel needs it; `id` is stable across attempts (webhook-id, Message-ID)."""

    id: str
    channel: str
    recipient: str
    target: str
    title: str
    body: str
    payload: dict[str, Any] | None
    secrets: tuple[str, ...] = ()  # a webhook's secrets in force: each signs, during a rotation's overlap both


class Channel(Protocol):
    def send(self, outgoing: Outgoing) -> None: ...
