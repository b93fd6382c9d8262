"""Partners and contacts sent by the city's registry over chancery.inbound, handled without a broker: created
once per registry id, replaced only by a later registry change, published as outreach's own events."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.outreach.operations.partners import PartnerNotYetKnown
from services.outreach.tests.conftest import cloud_event
from shared.bus.consumer import PoisonMessage

PARTNER = "chancery.inbound.partner.updated.v1"
CONTACT = "chancery.inbound.contact.updated.v1"
VIENNA = {"registry_id": "REG-P-1", "updated_at": "2027-03-01T09:00:00+01:00", "kind": "capital", "name": "Vienna",
          "names": [{"language": "de", "name": "Wien"}], "country": "AT", "region": "Vienna"}
KLARA = {"registry_id": "REG-C-7", "partner_registry_id": "REG-P-1", "updated_at": "2027-03-01T09:00:00Z",
         "name": "Klara Huber", "position": "Head of Protocol", "email": "k.huber@wien.example", "languages": ["de"]}


def registry(event_type: str, data) -> dict:
    return {**cloud_event(event_type, {}, source="/city/registry"), "subject": "REG", "data": data}


def partners(outreach, registry_id="REG-P-1") -> list[dict]:
    return outreach.call("GET", f"/api/v1/partners?registry_id={registry_id}").json["items"]


def test_a_partner_from_the_registry_is_created_once_and_searchable_by_its_names(outreach):
    update = registry(PARTNER, VIENNA)
    assert outreach.deliver(update)
    assert not outreach.deliver(update)  # redelivered
    assert outreach.deliver(registry(PARTNER, VIENNA))  # sent again as a new event: the same change
    [partner] = partners(outreach)
    assert (partner["name"], partner["registry_id"], partner["version"], partner["created_by"]) == (
        "Vienna", "REG-P-1", 1, "worker:outreach")
    assert outreach.call("GET", "/api/v1/partners?q=wien").json["total"] == 1
    assert outreach.outbox_types() == ["chancery.outreach.partner.created.v1"]
    assert outreach.audit_actions() == ["partner.created"]


def test_a_later_registry_change_replaces_the_registry_fields_and_keeps_the_offices_notes(outreach):
    outreach.deliver(registry(PARTNER, VIENNA))
    [partner] = partners(outreach)
    noted = outreach.call("PATCH", f"/api/v1/partners/{partner['id']}", {"notes": "Twinned since 1995"},
                          roles="outreach", headers={"If-Match": '"1"'})
    assert noted.status_code == 200, noted.json
    later = {**VIENNA, "updated_at": "2027-03-02T09:00:00Z", "name": "City of Vienna", "region": None}
    outreach.deliver(registry(PARTNER, later))
    [partner] = partners(outreach)
    assert (partner["name"], partner["region"], partner["notes"], partner["version"]) == (
        "City of Vienna", None, "Twinned since 1995", 3)
    assert outreach.outbox()[-1] == ("chancery.outreach.partner.updated.v1", {
        "id": partner["id"], "kind": "capital", "name": "City of Vienna", "names": VIENNA["names"], "country": "AT",
        "region": None, "version": 3})


def test_an_update_older_than_the_one_applied_changes_nothing_so_reordered_updates_converge(outreach):
    newest = {**VIENNA, "updated_at": "2027-03-03T09:00:00Z", "name": "Wien"}
    outreach.deliver(registry(PARTNER, newest))
    before = outreach.writes()
    outreach.deliver(registry(PARTNER, {**VIENNA, "updated_at": "2027-03-02T09:00:00Z", "name": "Vienna (old)"}))
    outreach.deliver(registry(PARTNER, newest))
    assert [(p["name"], p["version"]) for p in partners(outreach)] == [("Wien", 1)]
    assert outreach.writes() == before


def test_a_contact_from_the_registry_joins_its_partner_and_personal_data_stays_out_of_events_and_audit(outreach):
    outreach.deliver(registry(PARTNER, VIENNA))
    outreach.deliver(registry(CONTACT, KLARA))
    outreach.deliver(registry(CONTACT, {**KLARA, "updated_at": "2027-03-05T10:00:00Z", "phone": "+43 1 4000"}))
    outreach.deliver(registry(CONTACT, {**KLARA, "updated_at": "2027-03-04T10:00:00Z", "name": "Old Name"}))
    [partner] = partners(outreach)
    [listed] = outreach.call("GET", f"/api/v1/partners/{partner['id']}/contacts").json["items"]
    contact = outreach.call("GET", f"/api/v1/partners/{partner['id']}/contacts/{listed['id']}",
                            roles="outreach").json
    assert (contact["name"], contact["phone"], contact["registry_id"], contact["version"]) == (
        "Klara Huber", "+43 1 4000", "REG-C-7", 2)
    assert outreach.outbox_types()[-2:] == ["chancery.outreach.partner-contact.added.v1",
                                            "chancery.outreach.partner-contact.updated.v1"]
    written = repr(outreach.outbox()) + repr(audit_changes(outreach))
    assert "Huber" not in written and "4000" not in written and "wien.example" not in written


def audit_changes(outreach) -> list:
    table = outreach.runtime.spec.tables.audit
    with outreach.runtime.database.read_session() as session:
        return [row.changes for row in session.execute(table.select())]


def test_a_contact_whose_partner_has_not_arrived_is_retried_not_dropped(outreach):
    with pytest.raises(PartnerNotYetKnown, match="REG-P-1"):
        outreach.deliver(registry(CONTACT, KLARA))
    outreach.deliver(registry(PARTNER, VIENNA))
    assert outreach.deliver(registry(CONTACT, KLARA))
    [partner] = partners(outreach)
    assert outreach.call("GET", f"/api/v1/partners/{partner['id']}/contacts").json["total"] == 1


@pytest.mark.parametrize(("event_type", "data", "named"), [
    (PARTNER, {**VIENNA, "country": "Austria"}, "country"),
    (PARTNER, {k: v for k, v in VIENNA.items() if k != "registry_id"}, "'registry_id' is a required property"),
    (PARTNER, {**VIENNA, "updated_at": "yesterday"}, "updated_at"),
    (PARTNER, {**VIENNA, "updated_at": "2027-03-01T09:00:00"}, "updated_at"),
    (PARTNER, {**VIENNA, "kind": "village"}, "kind"),
    (PARTNER, {**VIENNA, "colour": "red"}, "colour"),
    (CONTACT, {**KLARA, "email": "not-an-address"}, "email"),
    (CONTACT, "not an object", "data"),
])
def test_an_update_that_breaks_its_schema_is_poison_naming_why_and_changes_nothing(outreach, event_type, data, named):
    with pytest.raises(PoisonMessage) as poisoned:
        outreach.deliver(registry(event_type, data))
    assert named in str(poisoned.value)
    assert set(outreach.writes().values()) == {0}
    assert partners(outreach) == []


def test_a_contacts_email_from_the_registry_is_stored_encrypted_and_shown_masked_to_the_mayors_office(outreach):
    outreach.deliver(registry(PARTNER, VIENNA))
    outreach.deliver(registry(CONTACT, KLARA))
    [partner] = partners(outreach)
    with outreach.runtime.database.read_session() as session:
        stored = session.execute(text("SELECT email FROM partner_contacts")).scalar_one()
    assert KLARA["email"] not in stored
    [contact] = outreach.call("GET", f"/api/v1/partners/{partner['id']}/contacts").json["items"]
    path = f"/api/v1/partners/{partner['id']}/contacts/{contact['id']}"
    assert outreach.call("GET", path, roles="mayor-office").json["email"].endswith("le")
    assert outreach.call("GET", path, roles="mayor-office").json["email"] != KLARA["email"]
    assert outreach.call("GET", path, roles="outreach").json["email"] == KLARA["email"]
