"""The proposal use cases on an in-memory unit of work."""

import pytest

from services.trips.operations.proposals import create_proposal, move_proposal
from services.trips.store.models import Trip
from services.trips.tests.records import PROPOSAL, office
from services.trips.tests.support import MAYOR
from shared.kit.lifecycle import IllegalTransition, MissingReason
from shared.kit.refusals import NotFound


def test_approving_a_proposal_drafts_its_trip_request_and_links_it():
    uow = office()
    proposal = create_proposal(uow, PROPOSAL, [MAYOR], {})
    move_proposal(uow, proposal.id, "approve", None, frozenset({1}))
    trip = uow.session.get(Trip, proposal.trip_id)
    assert trip.title == "Participation in Eurocities Annual Forum 2027" and trip.travellers[0].full_name == MAYOR[
        "full_name"]
    assert uow.event_types()[1:] == ["chancery.trips.trip.created.v1", "chancery.trips.proposal.approved.v1"]
    assert uow.events[-1][2]["trip_id"] == trip.id


def test_rejecting_without_a_reason_is_refused_and_a_decided_proposal_cannot_be_withdrawn():
    uow = office()
    proposal = create_proposal(uow, PROPOSAL, [MAYOR], {})
    with pytest.raises(MissingReason):
        move_proposal(uow, proposal.id, "reject", " ", None)
    move_proposal(uow, proposal.id, "reject", "No budget", None)
    with pytest.raises(IllegalTransition) as refused:
        move_proposal(uow, proposal.id, "withdraw", "Late", None)
    assert refused.value.allowed == []


def test_another_departments_reader_does_not_find_the_proposal():
    uow = office()
    proposal = create_proposal(uow, PROPOSAL, [MAYOR], {})
    with pytest.raises(NotFound):
        move_proposal(uow, proposal.id, "withdraw", "Late", None, scope="Department of Culture")
