"""State machines written as tables: action -> (states it may start from, state it leads to)."""

from __future__ import annotations

from enum import StrEnum

Transitions = dict[str, tuple[tuple[StrEnum, ...], StrEnum]]


class IllegalTransition(Exception):
    def __init__(self, record: str, action: str, status: StrEnum, allowed: list[str]):
        self.action, self.status, self.allowed = action, status, allowed
        super().__init__(f"cannot {action} a {record} that is {status.value}")


class MissingReason(ValueError):
    pass


def allowed(transitions: Transitions, status: StrEnum) -> list[str]:
    return [action for action, (sources, _) in transitions.items() if status in sources]


def next_state(record: str, transitions: Transitions, status: StrEnum, action: str, reason: str | None,
               reason_required: set[str] | frozenset[str] = frozenset()) -> StrEnum:
    """The state an action leads to; IllegalTransition names the allowed actions, MissingReason asks why."""
    sources, target = transitions[action]
    if status not in sources:
        raise IllegalTransition(record, action, status, allowed(transitions, status))
    if action in reason_required and not (reason or "").strip():
        raise MissingReason(f"a reason is required to {action} a {record}")
    return target
