"""What contracts' agreements bring outreach besides plan items (decision 0135): the twin-city relationship a signed
twinning agreement establishes, and the renewal task of an agreement nearing its end; each once per event."""

from services.outreach.store.models import PartnerRelationship
from services.outreach.tests.conftest import cloud_event

AGREEMENT_ID = "9a1e6b54-2222-4000-8000-000000000002"
SIGNED, TERMINATED, EXPIRING = (f"chancery.contracts.agreement.{action}.v1"
                                for action in ("signed", "terminated", "expiring"))


def twinning(partner_id, kind="twinning", **changes):
    return {"id": AGREEMENT_ID, "title": "Twinning of Sofia and Lyon", "partner_id": partner_id, "kind": kind,
            "partner_name": "Lyon", "country": "FR", "signed_on": "2027-01-20", "valid_from": "2027-02-01",
            "valid_until": "2031-03-31", "status": "signed",
            "activities": [{"id": "a1", "title": "Festival", "due_on": "2027-09-01", "responsible_body": "Culture"}],
            **changes}


def partner(outreach):
    return outreach.create("/api/v1/partners", {"kind": "city", "name": "Lyon", "country": "FR"})["id"]


def relationships(outreach, partner_id):
    response = outreach.call("GET", f"/api/v1/partners/{partner_id}/relationships", roles="mayor-office")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_a_signed_twinning_agreement_records_the_twin_city_relationship_once(outreach):
    lyon = partner(outreach)
    event = cloud_event(SIGNED, twinning(lyon), time="2027-01-20T10:00:00Z")
    outreach.deliver(event)
    [relationship] = relationships(outreach, lyon)
    assert (relationship["type"], relationship["established_on"], relationship["ended_on"]) == (
        "twin_city", "2027-01-20", None)
    assert (relationship["agreement_id"], relationship["basis"]) == (AGREEMENT_ID, "Twinning of Sofia and Lyon")
    assert "chancery.outreach.partner-relationship.established.v1" in outreach.outbox_types()
    before = (outreach.count(PartnerRelationship), outreach.writes())
    assert outreach.deliver(event) is False
    outreach.deliver({**cloud_event(SIGNED, twinning(lyon)), "time": event["time"]})  # republished: same facts
    assert (outreach.count(PartnerRelationship), outreach.writes()) == before


def test_a_terminated_twinning_agreement_ends_the_relationship_and_a_late_signature_changes_nothing(outreach):
    lyon = partner(outreach)
    signed = cloud_event(SIGNED, twinning(lyon), time="2027-01-20T10:00:00Z")
    outreach.deliver(signed)
    outreach.deliver(cloud_event(TERMINATED, twinning(lyon, status="terminated"), time="2029-06-01T10:00:00Z"))
    [relationship] = relationships(outreach, lyon)
    assert relationship["ended_on"] == "2029-06-01"
    outreach.deliver({**cloud_event(SIGNED, twinning(lyon)), "time": signed["time"]})  # late, under a new id
    assert relationships(outreach, lyon) == [relationship]


def test_no_relationship_for_a_cooperation_agreement_an_unknown_partner_or_a_city_twinned_already(outreach):
    lyon = partner(outreach)
    outreach.deliver(cloud_event(SIGNED, twinning(lyon, kind="cooperation")))
    outreach.deliver(cloud_event(SIGNED, twinning("0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b")))
    assert relationships(outreach, lyon) == []
    charter = outreach.create(f"/api/v1/partners/{lyon}/relationships",
                              {"type": "twin_city", "established_on": "1972-05-24", "basis": "Charter"})
    outreach.deliver(cloud_event(SIGNED, twinning(lyon)))
    assert [item["id"] for item in relationships(outreach, lyon)] == [charter["id"]]


def renewals(outreach):
    response = outreach.call("GET", "/api/v1/plan-items?source=agreement_renewal", roles="outreach")
    assert response.status_code == 200, response.json
    return {item["source_item_id"]: item for item in response.json["items"]}


def test_an_agreement_nearing_its_end_opens_one_renewal_task_for_outreach(outreach):
    lyon = partner(outreach)
    expiring = cloud_event(EXPIRING, twinning(lyon), time="2031-01-01T10:00:00Z")
    outreach.deliver(expiring)
    outreach.deliver({**cloud_event(EXPIRING, twinning(lyon)), "time": expiring["time"]})
    [task] = renewals(outreach).values()
    assert (task["activity"], task["responsible_body"], task["due_on"], task["status"]) == (
        "Renew: Twinning of Sofia and Lyon", "outreach", "2031-03-31", "planned")
    assert (task["source_id"], task["partner_id"]) == (AGREEMENT_ID, lyon)
    # Extended, the agreement nears its new end: a new task, the old one withdrawn.
    outreach.deliver(cloud_event(EXPIRING, twinning(lyon, valid_until="2035-03-31"), time="2035-01-01T10:00:00Z"))
    tasks = renewals(outreach)
    assert (tasks["renewal-2031-03-31"]["status"], tasks["renewal-2031-03-31"]["status_reason"]) == (
        "cancelled", "the agreement was extended")
    assert tasks["renewal-2035-03-31"]["status"] == "planned"


def test_a_terminated_agreement_withdraws_its_open_renewal_task_and_a_late_expiry_changes_nothing(outreach):
    lyon = partner(outreach)
    expiring = cloud_event(EXPIRING, twinning(lyon), time="2031-01-01T10:00:00Z")
    outreach.deliver(expiring)
    terminated = cloud_event(TERMINATED, twinning(lyon, status="terminated"), time="2031-02-01T10:00:00Z")
    outreach.deliver(terminated)
    [task] = renewals(outreach).values()
    assert (task["status"], task["status_reason"]) == ("cancelled", "the agreement was terminated")
    before = outreach.writes()
    assert outreach.deliver(terminated) is False
    outreach.deliver({**cloud_event(EXPIRING, twinning(lyon)), "time": expiring["time"]})  # late, under a new id
    assert (renewals(outreach) == {task["source_item_id"]: task}, outreach.writes()) == (True, before)
