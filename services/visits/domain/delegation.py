"""A delegation is one unit: one head, members, accompanying persons and a security detail."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from services.visits.domain.visit import OPEN_STATES, VisitStatus


class DelegationRole(StrEnum):
    HEAD = "head"
    MEMBER = "member"
    ACCOMPANYING = "accompanying"
    SECURITY = "security"


class DelegationClosed(Exception):
    """The visit is over or cancelled: its delegation is a record now, not a plan."""

    def __init__(self, status: VisitStatus):
        self.status = status
        super().__init__(f"the delegation of a {status.value} visit cannot change")


class SecondHead(ValueError):
    def __init__(self, head_id: str):
        self.head_id = head_id
        super().__init__(f"the delegation already has a head ({head_id}); make them a member first")


def ensure_open(status: VisitStatus) -> None:
    if status not in OPEN_STATES:
        raise DelegationClosed(status)


def ensure_single_head(role: DelegationRole, others: Iterable[tuple[str, str]]) -> None:
    """`others` are (member id, role) of everyone else in the delegation."""
    if role != DelegationRole.HEAD:
        return
    for member_id, other_role in others:
        if other_role == DelegationRole.HEAD:
            raise SecondHead(member_id)
