"""A record's lifecycle as a table: each named action, the states it may start from and the state it leads to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from shared.kit.refusals import Conflict, Invalid

Transitions = Mapping[str, tuple[tuple[StrEnum, ...], StrEnum]]


class IllegalTransition(Conflict):
    """The action is not allowed from the record's state; `allowed` names the actions that are."""

    def __init__(self, record: str, action: str, status: StrEnum, allowed: list[str]):
        super().__init__(f"cannot {action} a {record} that is {status.value}", slug="illegal-transition",
                         allowed_actions=allowed)
        self.action, self.status, self.allowed = action, status, allowed


class MissingReason(Invalid):
    def __init__(self, record: str, action: str):
        super().__init__("reason", f"a reason is required to {action} a {record}")


class HasStatus(Protocol):
    status: Any
    status_reason: Any
    version: int


@dataclass(frozen=True)
class Lifecycle:
    """`transitions`: action -> (states it may start from, state it leads to); `event_action`: the past tense
    an action's event is named by (`confirm` -> `confirmed`); `reason_required`: actions that need a reason."""

    record: str
    status_type: type[StrEnum]
    transitions: Transitions
    event_action: Mapping[str, str] = field(default_factory=dict)
    reason_required: frozenset[str] = frozenset()

    def allowed_actions(self, status: StrEnum | str) -> list[str]:
        current = self.status_type(status)
        return [action for action, (sources, _) in self.transitions.items() if current in sources]

    def next_status(self, status: StrEnum | str, action: str, reason: str | None = None) -> StrEnum:
        """The state `action` leads to; IllegalTransition names the allowed actions, MissingReason asks why."""
        current = self.status_type(status)
        sources, target = self.transitions[action]
        if current not in sources:
            raise IllegalTransition(self.record, action, current, self.allowed_actions(current))
        if action in self.reason_required and not (reason or "").strip():
            raise MissingReason(self.record, action)
        return target

    def advance(self, record: HasStatus, action: str, reason: str | None = None) -> str:
        """Move `record` (its status, reason and version) to the state `action` leads to; the previous status.
        A blank reason is no reason."""
        reason = (reason or "").strip() or None
        target = self.next_status(record.status, action, reason)
        previous = str(self.status_type(record.status).value)
        record.status, record.status_reason, record.version = target.value, reason, record.version + 1
        return previous

    def past_tense(self, action: str) -> str:
        return self.event_action.get(action, action)
