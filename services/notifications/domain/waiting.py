"""Decisions waiting for someone, read from the deciding services' events, and when they escalate (decision 0125).

Each record type whose events say who must decide next has a rule here: the event's data, as it stands after the
change, says whether the record now waits and for which role (and, for a department head, which department).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from shared.kit.departments import same_department


@dataclass(frozen=True)
class Waiting:
    """A record waiting for `awaiting`'s decision (of `department`'s head, for a department head)."""

    awaiting: str
    department: str | None


@dataclass(frozen=True)
class DecisionRule:
    """How the events of one record type say what the record waits for."""

    waiting_status: str
    awaiting: Callable[[dict[str, Any]], str | None]
    department: Callable[[dict[str, Any]], str | None]
    title: Callable[[dict[str, Any]], str]
    part: str | None = None  # the key of the data holding the record itself (a visa letter's `letter`), if any


# Keyed by (service, record) as event types name them: chancery.<service>.<record>.<action>.v1.
DECISION_RULES = {
    ("trips", "trip"): DecisionRule("submitted", lambda data: data.get("awaiting"),
                                    lambda data: data.get("awaiting_department"), lambda data: data.get("title") or ""),
    ("trips", "proposal"): DecisionRule("proposed", lambda data: "mayor-office", lambda data: data.get("department"),
                                        lambda data: data.get("function_name") or ""),
    ("outreach", "plan-version"): DecisionRule("submitted", lambda data: "mayor-office", lambda data: None,
                                               lambda data: f"{data.get('year')} #{data.get('number')}"),
    ("visits", "visa-letter"): DecisionRule("in_review", lambda data: "mayor-office", lambda data: None,
                                            lambda letter: letter.get("registry_number") or "", part="letter"),
    ("contracts", "agreement"): DecisionRule("submitted", lambda data: "mayor-office", lambda data: None,
                                             lambda data: data.get("title") or ""),
}


@dataclass(frozen=True)
class EscalationRule:
    """A `record_type` waiting for `awaiting` longer than `after` is told to `escalate_to` (once)."""

    record_type: str
    awaiting: str
    after: timedelta
    escalate_to: str

    @classmethod
    def of(cls, entry: dict[str, Any]) -> EscalationRule:
        return cls(record_type=entry["record_type"], awaiting=entry["awaiting"],
                   after=timedelta(hours=float(entry["after_hours"])), escalate_to=entry["escalate_to"])


def record_of(event_type: str) -> tuple[str, str] | None:
    """(service, record) of an event type whose record can wait for a decision."""
    parts = event_type.split(".")
    key = (parts[1], parts[2]) if len(parts) >= 5 and parts[0] == "chancery" else None
    return key if key in DECISION_RULES else None


def record_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The record's own fields in an event's data (its version and status among them)."""
    key = record_of(event_type)
    part = DECISION_RULES[key].part if key else None
    return data.get(part) or {} if part else data


def waiting_of(event_type: str, data: dict[str, Any]) -> Waiting | None:
    """What the record waits for after this event (`data`: the record's own fields, `record_data`); None when it
    waits for nobody (decided, drafted, withdrawn)."""
    key = record_of(event_type)
    if key is None:
        return None
    rule = DECISION_RULES[key]
    awaiting = rule.awaiting(data) if data.get("status") == rule.waiting_status else None
    return Waiting(awaiting, rule.department(data)) if awaiting else None


def title_of(event_type: str, data: dict[str, Any]) -> str:
    key = record_of(event_type)
    return DECISION_RULES[key].title(data) if key else ""


def escalation_for(rules: tuple[EscalationRule, ...], record_type: str, awaiting: str) -> EscalationRule | None:
    return next((rule for rule in rules if rule.record_type == record_type and rule.awaiting == awaiting), None)


def waits_for(waiting: Waiting | None, role: str, department: str | None) -> bool:
    """Whether a person holding `role` (of `department`) is the one the record waits for: a department head only
    for their own department's step (decision 0080), any other role for every record waiting for that role."""
    if waiting is None or waiting.awaiting != role:
        return False
    return role != "department-head" or same_department(waiting.department, department)
