"""A record's lifecycle as a table of actions: the states each may start from, the state it leads to."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class IllegalTransition(Exception):
    def __init__(self, record: str, action: str, status: StrEnum, allowed: list[str]):
        self.action, self.status, self.allowed = action, status, allowed
        super().__init__(f"cannot {action} a {record} that is {status.value}")


class MissingReason(ValueError):
    pass


@dataclass(frozen=True)
class Lifecycle:
    record: str
    transitions: dict[str, tuple[tuple[StrEnum, ...], StrEnum]]
    event_action: dict[str, str]
    reason_required: frozenset[str] = field(default_factory=frozenset)

    def allowed_actions(self, status: StrEnum) -> list[str]:
        return [action for action, (sources, _) in self.transitions.items() if status in sources]

    def next_status(self, status: StrEnum, action: str, reason: str | None) -> StrEnum:
        """The state an action leads to, or IllegalTransition naming the actions that are allowed."""
        sources, target = self.transitions[action]
        if status not in sources:
            raise IllegalTransition(self.record, action, status, self.allowed_actions(status))
        if action in self.reason_required and not (reason or "").strip():
            raise MissingReason(f"a reason is required to {action} a {self.record}")
        return target
