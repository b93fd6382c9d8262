"""Partners, their relationships and contact people through the API."""

from datetime import date

import pytest

from services.outreach.store.models import Partner, PartnerContact, PartnerRelationship
from services.outreach.tests.conftest import assert_problem

SOFIA = {"kind": "capital", "name": "Sofia", "country": "BG",
         "names": [{"language": "bg", "name": "София"}, {"language": "ru", "name": "София"}]}
LYON = {"kind": "city", "name": "Lyon", "country": "FR", "names": [{"language": "ru", "name": "Лион"}]}
BAVARIA = {"kind": "region", "name": "Bavaria", "country": "DE", "names": [{"language": "de", "name": "Bayern"}]}
TWINNING = {"type": "twin_city", "established_on": "1967-05-24", "basis": "Twinning charter"}
CONTACT = {"name": "Maria Petrova", "position": "Head of International Cooperation",
           "email": "m.petrova@sofia.example", "phone": "+359 2 000 0000", "languages": ["bg", "en"]}


def names_found(outreach, query: str) -> list[str]:
    response = outreach.call("GET", f"/api/v1/partners?{query}", roles="mayor-office")
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_registering_a_partner_answers_201_and_writes_it_its_event_and_its_audit_record_together(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    assert partner["version"] == 1 and partner["names"] == SOFIA["names"]
    assert outreach.count(Partner) == 1
    [(event_type, data)] = outreach.outbox()
    assert event_type == "chancery.outreach.partner.created.v1"
    assert data["id"] == partner["id"] and data["country"] == "BG"
    assert outreach.audit_actions() == ["partner.created"]


@pytest.mark.parametrize("query", ["Sofia", "sofia", "SOFIA", "Sofía", "София", "софия", "СОФ", "ofi"])
def test_a_partner_is_found_by_any_of_its_names_whatever_the_case_or_accents(outreach, query):
    for body in (SOFIA, LYON, BAVARIA):
        outreach.create("/api/v1/partners", body)
    assert names_found(outreach, f"q={query}") == ["Sofia"]


def test_a_search_with_like_wildcards_matches_them_literally(outreach):
    outreach.create("/api/v1/partners", SOFIA)
    assert names_found(outreach, "q=%25") == []
    assert names_found(outreach, "q=_") == []


def test_partners_filter_by_kind_and_country_and_sort_by_name(outreach):
    for body in (SOFIA, LYON, BAVARIA):
        outreach.create("/api/v1/partners", body)
    assert names_found(outreach, "sort=-name") == ["Sofia", "Lyon", "Bavaria"]
    assert names_found(outreach, "kind=region") == ["Bavaria"]
    assert names_found(outreach, "country=FR") == ["Lyon"]
    assert names_found(outreach, "page_size=1&page=2") == ["Lyon"]


def test_a_search_after_renaming_finds_the_new_name_only(outreach):
    partner = outreach.create("/api/v1/partners", LYON)
    renamed = outreach.call("PATCH", f"/api/v1/partners/{partner['id']}", {"names": [{"language": "fr",
                                                                                       "name": "Lyon-Ville"}]},
                            roles="outreach", headers={"If-Match": '"1"'})
    assert renamed.status_code == 200, renamed.json
    assert renamed.headers["ETag"] == '"2"'
    assert names_found(outreach, "q=ville") == ["Lyon"]
    assert names_found(outreach, "q=Лион") == []
    assert outreach.outbox_types()[-1] == "chancery.outreach.partner.updated.v1"


def test_a_stale_update_is_refused_with_412_and_changes_nothing(outreach):
    partner = outreach.create("/api/v1/partners", LYON)
    path = f"/api/v1/partners/{partner['id']}"
    outreach.call("PATCH", path, {"region": "Auvergne-Rhône-Alpes"}, roles="outreach", headers={"If-Match": '"1"'})
    stale = outreach.call("PATCH", path, {"region": "Rhône"}, roles="outreach", headers={"If-Match": '"1"'})
    assert_problem(stale, 412)
    assert outreach.call("GET", path, roles="outreach").json["region"] == "Auvergne-Rhône-Alpes"


@pytest.mark.parametrize(("change", "field"), [
    ({"country": "Bulgaria"}, "country"), ({"kind": "village"}, "kind"), ({"name": " "}, "name"),
    ({"names": [{"language": "Bulgarian", "name": "София"}]}, "names.0.language"),
    ({"website": "sofia.bg"}, "website"), ({"population": 1}, "population"),
])
def test_a_partner_with_a_bad_field_is_refused_naming_it_and_nothing_is_written(outreach, change, field):
    assert_problem(outreach.call("POST", "/api/v1/partners", {**SOFIA, **change}, roles="outreach"), 422, field)
    assert outreach.count(Partner) == 0
    assert outreach.writes() == {"outbox": 0, "audit_records": 0}


def test_a_required_detail_cannot_be_cleared(outreach):
    partner = outreach.create("/api/v1/partners", LYON)
    response = outreach.call("PATCH", f"/api/v1/partners/{partner['id']}", {"country": None}, roles="outreach")
    assert_problem(response, 422, "country")


def test_the_same_idempotency_key_registers_a_partner_once(outreach):
    headers = {"Idempotency-Key": "partner-sofia"}
    first = outreach.call("POST", "/api/v1/partners", SOFIA, roles="outreach", headers=headers)
    again = outreach.call("POST", "/api/v1/partners", SOFIA, roles="outreach", headers=headers)
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert outreach.count(Partner) == 1


@pytest.mark.parametrize(("method", "path", "roles", "status"), [
    ("POST", "/api/v1/partners", "mayor-office", 403), ("POST", "/api/v1/partners", "protocol", 403),
    ("GET", "/api/v1/partners", "travel", 403), ("GET", "/api/v1/partners", "mayor-office", 200),
])
def test_only_outreach_staff_change_partners_and_the_mayors_office_reads_them(outreach, method, path, roles, status):
    response = outreach.call(method, path, SOFIA if method == "POST" else None, roles=roles)
    assert response.status_code == status


# --- relationships ---

def relationship_path(partner):
    return f"/api/v1/partners/{partner['id']}/relationships"


def test_a_twinning_is_recorded_with_its_dates_and_announced(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    relationship = outreach.create(relationship_path(partner), TWINNING)
    assert relationship["established_on"] == "1967-05-24" and relationship["ended_on"] is None
    assert outreach.outbox_types()[-1] == "chancery.outreach.partner-relationship.established.v1"
    listed = outreach.call("GET", relationship_path(partner), roles="mayor-office").json
    assert [item["id"] for item in listed["items"]] == [relationship["id"]]


def test_a_second_twinning_overlapping_the_first_is_a_conflict_and_nothing_is_written(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    outreach.create(relationship_path(partner), TWINNING)
    before = outreach.writes()
    response = outreach.call("POST", relationship_path(partner), {**TWINNING, "established_on": "2001-01-01"},
                             roles="outreach")
    assert_problem(response, 409)
    assert outreach.count(PartnerRelationship) == 1 and outreach.writes() == before


def test_ending_a_relationship_is_announced_as_ended_and_then_a_new_one_may_start(outreach):
    partner = outreach.create("/api/v1/partners", LYON)
    relationship = outreach.create(relationship_path(partner), TWINNING)
    ended = outreach.call("PATCH", f"{relationship_path(partner)}/{relationship['id']}", {"ended_on": "1991-12-31"},
                          roles="outreach", headers={"If-Match": '"1"'})
    assert ended.status_code == 200, ended.json
    assert outreach.outbox_types()[-1] == "chancery.outreach.partner-relationship.ended.v1"
    outreach.create(relationship_path(partner), {**TWINNING, "established_on": "1992-01-01"})


def test_a_relationship_ending_before_it_began_is_refused_naming_ended_on(outreach):
    partner = outreach.create("/api/v1/partners", LYON)
    response = outreach.call("POST", relationship_path(partner), {**TWINNING, "ended_on": "1900-01-01"},
                             roles="outreach")
    assert_problem(response, 422)
    relationship = outreach.create(relationship_path(partner), TWINNING)
    response = outreach.call("PATCH", f"{relationship_path(partner)}/{relationship['id']}",
                             {"ended_on": "1900-01-01"}, roles="outreach")
    assert_problem(response, 422, "ended_on")


def test_partners_filter_by_a_relationship_holding_on_a_day_today_by_default(outreach, frozen_today):
    sofia, lyon = outreach.create("/api/v1/partners", SOFIA), outreach.create("/api/v1/partners", LYON)
    outreach.create(relationship_path(sofia), TWINNING)
    outreach.create(relationship_path(lyon), {**TWINNING, "ended_on": "2020-12-31"})
    frozen_today(date(2027, 1, 1))
    assert names_found(outreach, "relationship=twin_city") == ["Sofia"]
    assert names_found(outreach, "relationship=twin_city&on=2000-01-01") == ["Lyon", "Sofia"]
    frozen_today(date(1980, 1, 1))
    assert names_found(outreach, "relationship=twin_city") == ["Lyon", "Sofia"]
    assert names_found(outreach, "relationship=partner_city") == []


def test_a_relationship_read_through_another_partner_is_not_found(outreach):
    sofia, lyon = outreach.create("/api/v1/partners", SOFIA), outreach.create("/api/v1/partners", LYON)
    relationship = outreach.create(relationship_path(sofia), TWINNING)
    assert_problem(outreach.call("GET", f"{relationship_path(lyon)}/{relationship['id']}"), 404)


def test_relationships_of_an_unknown_partner_are_not_found(outreach):
    path = "/api/v1/partners/7c1e6a54-0000-4000-8000-000000000000/relationships"
    assert_problem(outreach.call("POST", path, TWINNING, roles="outreach"), 404)
    assert_problem(outreach.call("GET", path), 404)


# --- contacts ---

def test_a_contact_person_is_kept_but_their_personal_details_never_reach_an_event_or_the_audit(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    contact = outreach.create(f"/api/v1/partners/{partner['id']}/contacts", CONTACT)
    assert contact["email"] == CONTACT["email"]
    path = f"/api/v1/partners/{partner['id']}/contacts/{contact['id']}"
    outreach.call("PATCH", path, {"phone": "+359 2 111 1111"}, roles="outreach", headers={"If-Match": '"1"'})
    table = outreach.runtime.spec.tables.audit
    with outreach.runtime.database.read_session() as session:
        audit = [row.changes for row in session.execute(table.select())]
    written = repr(outreach.outbox()) + repr(audit)
    for detail in ("Maria", "Petrova", "sofia.example", "000 0000", "111 1111"):
        assert detail not in written
    assert outreach.outbox_types()[-2:] == ["chancery.outreach.partner-contact.added.v1",
                                            "chancery.outreach.partner-contact.updated.v1"]


def test_removing_a_contact_needs_its_current_version_and_is_announced(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    contact = outreach.create(f"/api/v1/partners/{partner['id']}/contacts", CONTACT)
    path = f"/api/v1/partners/{partner['id']}/contacts/{contact['id']}"
    assert_problem(outreach.call("DELETE", path, roles="outreach", headers={"If-Match": '"7"'}), 412)
    assert outreach.call("DELETE", path, roles="outreach", headers={"If-Match": '"1"'}).status_code == 204
    assert outreach.count(PartnerContact) == 0
    assert outreach.outbox_types()[-1] == "chancery.outreach.partner-contact.removed.v1"
    assert_problem(outreach.call("GET", path), 404)


def test_a_contact_with_a_malformed_email_is_refused_naming_it(outreach):
    partner = outreach.create("/api/v1/partners", SOFIA)
    response = outreach.call("POST", f"/api/v1/partners/{partner['id']}/contacts", {**CONTACT, "email": "maria"},
                             roles="outreach")
    assert_problem(response, 422, "email")
    assert outreach.count(PartnerContact) == 0
