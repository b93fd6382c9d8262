"""A delegation is one unit: one head, members, accompanying persons and a security detail."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from services.visits.domain.visit import OPEN_STATES, VisitStatus
from shared.kit.refusals import Conflict


class DelegationRole(StrEnum):
    HEAD = "head"
    MEMBER = "member"
    ACCOMPANYING = "accompanying"
    SECURITY = "security"


class DelegationClosed(Conflict):
    """The visit is over or cancelled: its delegation is a record now, not a plan."""

    def __init__(self, status: VisitStatus):
        self.status = status
        super().__init__(f"the delegation of a {status.value} visit cannot change", slug="visit-closed",
                         visit_status=status.value)


class SecondHead(Conflict):
    def __init__(self, head_id: str):
        self.head_id = head_id
        message = f"the delegation already has a head ({head_id}); make them a member first"
        super().__init__(message, slug="second-head", head_id=head_id,
                         errors=[{"field": "role", "message": message}])


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
