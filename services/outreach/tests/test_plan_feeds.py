"""Agreements (contracts) and trip reports (trips) feed the plan and keep it in step, once per event."""

import pytest

from services.outreach.store.models import PlanItem
from services.outreach.tests.conftest import cloud_event
from shared.bus.consumer import PoisonMessage

AGREEMENT_ID = "9a1e6b54-1111-4000-8000-000000000001"
SIGNED, AMENDED, TERMINATED = (f"chancery.contracts.agreement.{action}.v1"
                               for action in ("signed", "amended", "terminated"))


def agreement(partner_id, *activities):
    return {"id": AGREEMENT_ID, "title": "Cooperation programme 2027-2029", "partner_id": partner_id,
            "partner_name": "Sofia", "country": "BG", "signed_on": "2027-01-20", "valid_from": "2027-02-01",
            "valid_until": "2029-12-31", "activities": list(activities)}


def activity(key, title, due_on="2027-09-01", body="Department of Culture"):
    return {"id": key, "title": title, "due_on": due_on, "responsible_body": body}


@pytest.fixture
def sofia(outreach):
    return outreach.create("/api/v1/partners", {"kind": "capital", "name": "Sofia", "country": "BG"})["id"]


def items(outreach, query="source=agreement"):
    response = outreach.call("GET", f"/api/v1/plan-items?{query}&sort=activity", roles="mayor-office")
    assert response.status_code == 200, response.json
    return {item["source_item_id"]: item for item in response.json["items"]}


def test_a_signed_agreement_adds_its_activities_to_the_plan_with_the_agreement_as_source(outreach, sofia):
    outreach.deliver(cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair"),
                                                   activity("a2", "Youth exchange", "2028-03-01", "Youth"))))
    plan = items(outreach)
    assert set(plan) == {"a1", "a2"}
    assert (plan["a1"]["source_id"], plan["a1"]["partner_id"], plan["a1"]["status"]) == (AGREEMENT_ID, sofia,
                                                                                         "planned")
    assert (plan["a1"]["starts_on"], plan["a2"]["year"]) == ("2027-02-01", 2028)
    assert outreach.outbox_types()[-2:] == ["chancery.outreach.plan-item.created.v1"] * 2
    table = outreach.runtime.spec.tables.audit
    with outreach.runtime.database.read_session() as session:
        audit = session.execute(table.select().order_by(table.c.id.desc())).first()
    assert (audit.actor, audit.action) == ("worker:outreach", "plan-item.created")


def test_a_redelivered_or_replayed_signature_adds_nothing(outreach, sofia):
    event = cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair")))
    outreach.deliver(event)
    before = (outreach.count(PlanItem), outreach.writes())
    assert outreach.deliver(event) is False
    # The same facts again under a new event id (contracts republished it) change nothing either.
    outreach.deliver({**cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair"))), "time": event["time"]})
    assert (outreach.count(PlanItem), outreach.writes()) == before


def test_an_amendment_updates_adds_and_withdraws_activities_keeping_staffs_progress(outreach, sofia):
    outreach.deliver(cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair"), activity("a2", "Concert")),
                                 time="2027-01-20T10:00:00Z"))
    art_fair = items(outreach)["a1"]
    outreach.call("POST", f"/api/v1/plan-items/{art_fair['id']}/start", {}, roles="outreach")
    outreach.deliver(cloud_event(AMENDED, agreement(sofia, activity("a1", "Art fair", "2027-10-15"),
                                                    activity("a3", "Film week")), time="2027-03-01T10:00:00Z"))
    plan = items(outreach)
    assert (plan["a1"]["due_on"], plan["a1"]["status"]) == ("2027-10-15", "in_progress")
    assert (plan["a2"]["status"], plan["a2"]["status_reason"]) == ("cancelled",
                                                                   "no longer among the agreement's activities")
    assert plan["a3"]["status"] == "planned"
    # An activity put back by a later amendment is planned again.
    outreach.deliver(cloud_event(AMENDED, agreement(sofia, activity("a1", "Art fair", "2027-10-15"),
                                                    activity("a2", "Concert"), activity("a3", "Film week")),
                                 time="2027-04-01T10:00:00Z"))
    assert items(outreach)["a2"]["status"] == "planned"
    assert "chancery.outreach.plan-item.restored.v1" in outreach.outbox_types()


def test_a_termination_cancels_the_open_items_and_leaves_the_done_ones(outreach, sofia):
    outreach.deliver(cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair"), activity("a2", "Concert")),
                                 time="2027-01-20T10:00:00Z"))
    concert = items(outreach)["a2"]
    outreach.call("POST", f"/api/v1/plan-items/{concert['id']}/complete", {}, roles="outreach")
    outreach.deliver(cloud_event(TERMINATED, agreement(sofia, activity("a1", "Art fair"), activity("a2", "Concert")),
                                 time="2027-05-01T10:00:00Z"))
    plan = items(outreach)
    assert (plan["a1"]["status"], plan["a1"]["status_reason"]) == ("cancelled", "the agreement was terminated")
    assert plan["a2"]["status"] == "done"


def test_an_older_event_arriving_after_a_newer_one_changes_nothing(outreach, sofia):
    outreach.deliver(cloud_event(TERMINATED, agreement(sofia, activity("a1", "Art fair")),
                                 time="2027-05-01T10:00:00Z"))
    outreach.deliver(cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair")), time="2027-01-20T10:00:00Z"))
    assert items(outreach) == {}


def test_staff_cannot_change_what_an_agreement_decides_but_can_budget_it(outreach, sofia):
    outreach.deliver(cloud_event(SIGNED, agreement(sofia, activity("a1", "Art fair"))))
    item = items(outreach)["a1"]
    refused = outreach.call("PATCH", f"/api/v1/plan-items/{item['id']}", {"due_on": "2027-12-01"}, roles="outreach")
    assert refused.status_code == 409 and refused.json["fields"] == ["due_on"]
    budgeted = outreach.call("PATCH", f"/api/v1/plan-items/{item['id']}",
                             {"budget_amount": "1200.50", "budget_currency": "BGN"}, roles="outreach")
    assert budgeted.json["budget_amount"] == "1200.50"


def test_a_submitted_trip_report_adds_its_follow_ups(outreach, sofia):
    report = {"id": "3c5d7e9f-2222-4000-8000-000000000003", "trip_id": "3c5d7e9f-2222-4000-8000-000000000002",
              "title": "Report on the mayor's visit to Sofia", "countries": ["BG"], "partner_id": sofia,
              "follow_ups": [activity("f1", "Send the draft memorandum", "2027-07-01", "Mayor's office")]}
    outreach.deliver(cloud_event("chancery.trips.report.submitted.v1", report))
    [item] = items(outreach, "source=trip_report").values()
    assert (item["activity"], item["partner_id"], item["source_id"]) == ("Send the draft memorandum", sofia,
                                                                         report["id"])


@pytest.mark.parametrize("data", [
    agreement(None, activity("ok", "Fine"), {"id": "a1", "title": "Art fair"}),
    {**agreement(None), "activities": "none"},
    {key: value for key, value in agreement(None, activity("ok", "Fine")).items() if key != "id"},
])
def test_a_malformed_agreement_is_poison_and_nothing_is_half_applied(outreach, data):
    with pytest.raises(PoisonMessage):
        outreach.deliver(cloud_event(SIGNED, data))
    assert outreach.count(PlanItem) == 0
