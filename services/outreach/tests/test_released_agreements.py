"""An agreement withheld in contracts reaches outreach only when released (decision 0190): its newest state then
brings the plan items, the twin-city relationship and the timeline as signing or termination would, and a withheld
event arriving all the same changes nothing."""

from services.outreach.store.models import PartnerRelationship, PlanItem, TimelineEntry
from services.outreach.tests.conftest import cloud_event
from services.outreach.tests.test_agreement_chain import SIGNED, TERMINATED, partner, relationships, twinning
from services.outreach.tests.test_plan_feeds import items
from services.outreach.tests.test_timeline import timeline

RELEASED = "chancery.contracts.agreement.released.v1"
WITHHELD = {"confidential": True, "embargoed": False, "embargoed_until": None,
            "need_to_know": {"people": ["pavel"], "roles": ["mayor-office"]}}


def test_a_released_signed_twinning_agreement_brings_its_plan_items_relationship_and_timeline_entry(outreach):
    lyon = partner(outreach)
    outreach.deliver(cloud_event(RELEASED, twinning(lyon), time="2027-02-10T09:00:00Z"))
    assert [(item["activity"], item["status"]) for item in items(outreach).values()] == [("Festival", "planned")]
    [relationship] = relationships(outreach, lyon)
    assert (relationship["type"], relationship["established_on"]) == ("twin_city", "2027-01-20")
    assert [(entry["record"], entry["action"]) for entry in timeline(outreach, lyon)] == [("agreement", "released")]


def test_a_released_terminated_agreement_withdraws_what_it_brought_before_it_was_withheld(outreach):
    lyon = partner(outreach)
    outreach.deliver(cloud_event(SIGNED, twinning(lyon), time="2027-01-20T10:00:00Z"))
    outreach.deliver(cloud_event(RELEASED, twinning(lyon, status="terminated"), time="2029-06-01T10:00:00Z"))
    assert [item["status"] for item in items(outreach).values()] == ["cancelled"]
    [relationship] = relationships(outreach, lyon)
    assert relationship["ended_on"] == "2029-06-01"


def test_a_released_agreement_not_yet_signed_reaches_the_timeline_only(outreach):
    lyon = partner(outreach)
    outreach.deliver(cloud_event(RELEASED, twinning(lyon, status="approved", signed_on=None)))
    assert (items(outreach), relationships(outreach, lyon)) == ({}, [])
    assert len(timeline(outreach, lyon)) == 1


def test_a_late_withheld_event_changes_nothing_after_the_release(outreach):
    lyon = partner(outreach)
    outreach.deliver(cloud_event(RELEASED, twinning(lyon), time="2027-02-10T09:00:00Z"))
    before = (items(outreach), relationships(outreach, lyon), outreach.count(TimelineEntry), outreach.writes())
    for late in (cloud_event(SIGNED, twinning(lyon, **WITHHELD), time="2027-01-20T10:00:00Z"),
                 cloud_event(TERMINATED, twinning(lyon, status="terminated", **WITHHELD),
                             time="2027-03-01T10:00:00Z")):
        outreach.deliver(late)
    assert (items(outreach), relationships(outreach, lyon), outreach.count(TimelineEntry),
            outreach.writes()) == before
    assert (outreach.count(PlanItem), outreach.count(PartnerRelationship)) == (1, 1)
