"""Proposals to take part in international functions, decided by the mayor's office (docs/decisions/0022)."""

from __future__ import annotations

from enum import StrEnum

from shared.kit.lifecycle import Lifecycle


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# Decided proposals are kept as they are: an approved one lives on as its draft trip request, a rejected one
# with its reason.
PROPOSAL_LIFECYCLE = Lifecycle(
    record="proposal", status_type=ProposalStatus,
    transitions={
        "approve": ((ProposalStatus.PROPOSED,), ProposalStatus.APPROVED),
        "reject": ((ProposalStatus.PROPOSED,), ProposalStatus.REJECTED),
        "withdraw": ((ProposalStatus.PROPOSED,), ProposalStatus.WITHDRAWN),
    },
    event_action={"approve": "approved", "reject": "rejected", "withdraw": "withdrawn"},
    reason_required=frozenset({"reject", "withdraw"}))
DECIDED_BY_MAYOR_OFFICE = ("approve", "reject")
