"""Contacts of societies, NGOs and offices abroad, an office's staff register, compatriot programmes'
participants, and every contact's e-mail and phone: encrypted at rest, masked, audited when read, never in
events, audit records or logs."""

import logging
from pathlib import Path

from sqlalchemy import select

from services.outreach.store.models import OrganisationContact, ProgrammeParticipant
from services.outreach.tests.conftest import assert_problem

EMAIL, PHONE = "chair@friends-of-sofia.example", "+359 88 123 4567"
PERSON = {"name": "Elena Ivanova", "position": "Chair", "email": EMAIL, "phone": PHONE, "languages": ["bg", "ru"]}
IF_MATCH_1 = {"If-Match": '"1"'}


def society(outreach, name="Friends of Sofia"):
    return outreach.create("/api/v1/societies", {"kind": "friendship_society", "name": name, "country": "BG"})


def office(outreach):
    return outreach.create("/api/v1/offices", {"name": "City office in Sofia", "country": "BG", "city": "Sofia",
                                               "opened_on": "2012-03-01"})


def programme(outreach):
    return outreach.create("/api/v1/compatriot-programmes", {"title": "Summer school", "year": 2027})


def audit_rows(outreach) -> list[dict]:
    table = outreach.runtime.spec.tables.audit
    with outreach.runtime.database.read_session() as session:
        return [dict(row) for row in session.execute(select(table).order_by(table.c.id)).mappings()]


def test_a_societys_contact_is_shown_in_full_to_outreach_staff_and_masked_to_the_mayors_office(outreach):
    contact = outreach.create("/api/v1/organisation-contacts", {**PERSON, "society_id": society(outreach)["id"]})
    assert (contact["email"], contact["phone"]) == (EMAIL, PHONE)
    path = f"/api/v1/organisation-contacts/{contact['id']}"
    masked = outreach.call("GET", path, roles="mayor-office").json
    assert masked["email"] == "•" * (len(EMAIL) - 2) + "le" and masked["phone"].endswith("67")
    assert masked["name"] == "Elena Ivanova"
    assert audit_rows(outreach)[-1]["action"] == "organisation-contact.added"  # a masked read is no read
    full = outreach.call("GET", path, roles="outreach").json
    assert (full["email"], full["phone"]) == (EMAIL, PHONE)
    read = audit_rows(outreach)[-1]
    assert (read["action"], read["record_id"], read["changes"]) == ("personal-data.read", contact["id"],
                                                                    {"fields": ["email", "phone"]})


def test_a_list_of_contacts_never_reveals_their_email_or_phone(outreach):
    holder = office(outreach)
    outreach.create("/api/v1/organisation-contacts", {**PERSON, "office_id": holder["id"]})
    listed = outreach.call("GET", f"/api/v1/organisation-contacts?office_id={holder['id']}", roles="outreach").json
    assert listed["total"] == 1
    assert EMAIL not in repr(listed) and PHONE not in repr(listed)


def test_the_foreign_ministrys_contacts_are_found_by_its_mission_record(outreach):
    ministry = outreach.create("/api/v1/missions", {"kind": "foreign_ministry", "name": "Ministry of Foreign Affairs",
                                                    "sending_country": "BG", "city": "Sofia"})
    contact = outreach.create("/api/v1/organisation-contacts", {**PERSON, "position": "Protocol desk",
                                                                "mission_id": ministry["id"]})
    found = outreach.call("GET", f"/api/v1/organisation-contacts?mission_id={ministry['id']}", roles="outreach").json
    assert [item["id"] for item in found["items"]] == [contact["id"]]
    assert outreach.outbox()[-1][1] == {"id": contact["id"], "society_id": None, "office_id": None,
                                        "mission_id": ministry["id"], "position": "Protocol desk", "version": 1}


def test_a_contact_belongs_to_exactly_one_society_or_office_and_a_wrong_one_writes_nothing(outreach):
    both = {**PERSON, "society_id": society(outreach)["id"], "office_id": office(outreach)["id"]}
    before = outreach.writes()
    assert_problem(outreach.call("POST", "/api/v1/organisation-contacts", both, roles="outreach"), 422, "society_id")
    assert_problem(outreach.call("POST", "/api/v1/organisation-contacts", PERSON, roles="outreach"), 422,
                   "society_id")
    unknown = {**PERSON, "office_id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"}
    assert_problem(outreach.call("POST", "/api/v1/organisation-contacts", unknown, roles="outreach"), 422, "office_id")
    assert_problem(outreach.call("POST", "/api/v1/organisation-contacts",
                                 {**PERSON, "email": "elena", "office_id": both["office_id"]}, roles="outreach"),
                   422, "email")
    assert (outreach.count(OrganisationContact), outreach.writes()) == (0, before)


def test_an_offices_staff_register_lists_who_holds_which_post_and_records_their_leaving(outreach):
    holder = office(outreach)
    staff = [outreach.create("/api/v1/office-staff", {**PERSON, "name": name, "position": post,
                                                      "office_id": holder["id"], "employed_from": since})
             for name, post, since in [("Petar Dimitrov", "Head of office", "2024-02-01"),
                                       ("Ana Koleva", "Trade attaché", "2022-09-01")]]
    assert_problem(outreach.call("PATCH", f"/api/v1/office-staff/{staff[0]['id']}", {"employed_until": "2020-01-01"},
                                 roles="outreach", headers=IF_MATCH_1), 422, "employed_until")
    left = outreach.call("PATCH", f"/api/v1/office-staff/{staff[0]['id']}", {"employed_until": "2027-06-30"},
                         roles="outreach", headers=IF_MATCH_1)
    assert left.status_code == 200 and left.json["employed_until"] == "2027-06-30"
    register = outreach.call("GET", f"/api/v1/office-staff?office_id={holder['id']}&sort=-employed_from",
                             roles="mayor-office").json
    assert [member["name"] for member in register["items"]] == ["Petar Dimitrov", "Ana Koleva"]
    assert outreach.outbox()[-1] == ("chancery.outreach.office-staff-member.updated.v1", {
        "id": staff[0]["id"], "office_id": holder["id"], "position": "Head of office", "employed_from": "2024-02-01",
        "employed_until": "2027-06-30", "version": 2})


def test_compatriot_participants_are_filtered_by_programme_and_country_searched_and_paged(outreach):
    school, other = programme(outreach), programme(outreach)
    for name, country, held in [("Olga Smirnova", "MD", school), ("Ivan Petrov", "UA", school),
                                ("Irina Volkova", "MD", school), ("Pavel Orlov", "MD", other)]:
        outreach.create("/api/v1/compatriot-participants", {"name": name, "country": country,
                                                            "programme_id": held["id"], "joined_on": "2027-07-01"})
    page = outreach.call("GET", f"/api/v1/compatriot-participants?programme_id={school['id']}&country=MD"
                                "&sort=name&page_size=1", roles="mayor-office").json
    assert (page["total"], [p["name"] for p in page["items"]]) == (2, ["Irina Volkova"])
    found = outreach.call("GET", "/api/v1/compatriot-participants?q=orlov", roles="outreach").json
    assert [p["name"] for p in found["items"]] == ["Pavel Orlov"]
    assert_problem(outreach.call("GET", "/api/v1/compatriot-participants?country=Moldova", roles="outreach"), 422,
                   "country")


def test_removing_a_participant_needs_their_current_version_and_is_announced_without_their_name(outreach):
    held = programme(outreach)
    person = outreach.create("/api/v1/compatriot-participants", {**PERSON, "country": "MD", "programme_id": held["id"],
                                                                 "joined_on": "2027-07-01"})
    path = f"/api/v1/compatriot-participants/{person['id']}"
    assert_problem(outreach.call("DELETE", path, roles="outreach", headers={"If-Match": '"3"'}), 412)
    assert outreach.call("DELETE", path, roles="mayor-office", headers=IF_MATCH_1).status_code == 403
    assert outreach.call("DELETE", path, roles="outreach", headers=IF_MATCH_1).status_code == 204
    assert outreach.count(ProgrammeParticipant) == 0
    assert outreach.outbox()[-1] == ("chancery.outreach.compatriot-participant.removed.v1", {
        "id": person["id"], "programme_id": held["id"], "country": "MD", "joined_on": "2027-07-01", "version": 1})


def test_no_contacts_email_or_phone_is_in_plaintext_in_the_database_file_events_audit_or_logs(outreach, caplog):
    caplog.set_level(logging.DEBUG)
    partner = outreach.create("/api/v1/partners", {"kind": "capital", "name": "Sofia", "country": "BG"})
    people = [(f"/api/v1/partners/{partner['id']}/contacts", {}),
              ("/api/v1/media-contacts", {"outlet": "BNR", "country": "BG"}),
              ("/api/v1/organisation-contacts", {"society_id": society(outreach)["id"]}),
              ("/api/v1/office-staff", {"office_id": office(outreach)["id"], "employed_from": "2024-02-01"}),
              ("/api/v1/compatriot-participants", {"programme_id": programme(outreach)["id"], "country": "MD",
                                                   "joined_on": "2027-07-01"})]
    for number, (collection, extra) in enumerate(people):
        body = {**PERSON, "email": f"person{number}@contacts.example", "phone": f"+359 2 555 010{number}", **extra}
        if collection.startswith("/api/v1/media"):
            body.pop("position")
        created = outreach.create(collection, body)
        path = f"{collection}/{created['id']}"
        outreach.call("PATCH", path, {"phone": f"+359 2 555 020{number}"}, roles="outreach", headers=IF_MATCH_1)
        assert outreach.call("GET", path, roles="outreach").json["phone"] == f"+359 2 555 020{number}"
    database = Path(outreach.runtime.settings.database_url.removeprefix("sqlite:///"))
    stored = b"".join(path.read_bytes() for path in database.parent.glob(f"{database.name}*"))
    written = repr(outreach.outbox()) + repr(audit_rows(outreach)) + caplog.text
    for number in range(len(people)):
        for detail in (f"person{number}@contacts.example", f"555 010{number}", f"555 020{number}"):
            assert detail.encode() not in stored and detail not in written, detail
    assert "Elena" not in repr(outreach.outbox()) + repr(audit_rows(outreach))
    assert "personal-data.read" in written and "office-staff-member.updated" in written  # it looked at them
