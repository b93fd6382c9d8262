"""A visit's delegation as one unit through the API: its head, members, accompanying persons and security."""

import pytest

from services.visits.tests.support import (
    act,
    assert_problem,
    audit_actions,
    create_visit,
    outbox,
    post,
)

PARTNER = "6f9b1c2e-8a4d-4c1b-9e3f-2a7d5c8b1e40"
HEAD = {"role": "head", "name_original": "陈立新", "name_latin": "Chen Lixin", "title": "Vice Mayor of Shanghai",
        "rank": "deputy_mayor", "organisation": "Shanghai Municipal People's Government", "country": "CN",
        "languages": ["zh", "en"], "dietary_needs": "no pork", "access_needs": None}
MEMBER = {"role": "member", "name_original": "王芳", "name_latin": "Wang Fang",
          "title": "Director of the Foreign Affairs Office", "rank": "head_of_department",
          "organisation": "Shanghai Foreign Affairs Office", "country": "CN", "languages": ["zh", "en", "ru"]}
INTERPRETER = {"role": "accompanying", "name_original": "李娜", "name_latin": "Li Na", "title": "Interpreter",
               "country": "CN", "languages": ["zh", "bg"]}
GUARD = {"role": "security", "name_original": "张伟", "name_latin": "Zhang Wei", "country": "CN",
         "languages": ["zh"], "access_needs": "carries a service weapon: declared to the police"}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def visit(visits):
    return create_visit(visits, delegation_name="Delegation of Shanghai", country="CN", city="Shanghai",
                        partner_id=PARTNER)


def members_path(visit):
    return f"/api/v1/visits/{visit['id']}/members"


def add(visits, visit, person):
    return post(visits, members_path(visit), person)


def test_the_delegation_reads_back_as_one_unit_grouped_by_role_with_names_in_both_scripts(visits, visit):
    for person in (MEMBER, HEAD, INTERPRETER, GUARD):
        add(visits, visit, person)
    response = visits.call("GET", f"/api/v1/visits/{visit['id']}/delegation", roles="mayor-office")
    assert response.status_code == 200, response.json
    unit = response.json
    assert unit["visit"]["partner_id"] == PARTNER
    assert (unit["head"]["name_original"], unit["head"]["name_latin"]) == ("陈立新", "Chen Lixin")
    assert [m["name_latin"] for m in unit["members"]] == ["Wang Fang"]
    assert [m["name_latin"] for m in unit["accompanying"]] == ["Li Na"]
    assert [m["name_latin"] for m in unit["security"]] == ["Zhang Wei"]
    assert unit["size"] == 4
    assert unit["head"]["dietary_needs"] == "no pork"


def test_a_delegation_without_anyone_yet_has_no_head_and_size_zero(visits, visit):
    unit = visits.call("GET", f"/api/v1/visits/{visit['id']}/delegation").json
    assert unit["head"] is None and unit["size"] == 0


def test_a_second_head_is_refused_naming_the_present_head_and_nothing_is_written(visits, visit):
    head = add(visits, visit, HEAD)
    before = outbox(visits)
    problem = assert_problem(visits.call("POST", members_path(visit), {**MEMBER, "role": "head"}), 409, "role")
    assert problem["head_id"] == head["id"]
    assert outbox(visits) == before
    assert visits.call("GET", members_path(visit)).json["total"] == 1


def test_the_head_can_be_handed_over_by_first_making_the_present_head_a_member(visits, visit):
    head = add(visits, visit, HEAD)
    deputy = add(visits, visit, MEMBER)
    refused = visits.call("PATCH", f"{members_path(visit)}/{deputy['id']}", {"role": "head"}, roles="protocol")
    assert_problem(refused, 409, "role")
    stepped_down = visits.call("PATCH", f"{members_path(visit)}/{head['id']}", {"role": "member"},
                               roles="protocol", headers={"If-Match": '"1"'})
    assert stepped_down.status_code == 200 and stepped_down.headers["ETag"] == '"2"'
    promoted = visits.call("PATCH", f"{members_path(visit)}/{deputy['id']}", {"role": "head"}, roles="protocol")
    assert promoted.status_code == 200, promoted.json
    assert visits.call("GET", f"/api/v1/visits/{visit['id']}/delegation").json["head"]["id"] == deputy["id"]


def test_the_head_may_keep_being_head_when_their_other_details_change(visits, visit):
    head = add(visits, visit, HEAD)
    response = visits.call("PATCH", f"{members_path(visit)}/{head['id']}", {"role": "head", "title": "Mayor"},
                           roles="protocol")
    assert response.status_code == 200, response.json
    assert response.json["title"] == "Mayor"


def test_member_events_carry_the_partner_and_country_but_never_dietary_or_access_needs(visits, visit):
    head = add(visits, visit, HEAD)
    add(visits, visit, GUARD)
    events = outbox(visits, "chancery.visits.delegation-member.")
    assert [e["type"] for e in events] == ["chancery.visits.delegation-member.added.v1"] * 2
    first = events[0]
    assert first["subject"] == head["id"]
    assert (first["data"]["partner_id"], first["data"]["country"], first["data"]["visit_id"]) == (
        PARTNER, "CN", visit["id"])
    assert first["data"]["member"]["name_original"] == "陈立新"
    text = repr(events)
    assert "no pork" not in text and "service weapon" not in text
    assert audit_actions(visits, head["id"]) == ["delegation-member.added"]


def test_a_member_is_updated_with_if_match_and_removed_with_an_event_each(visits, visit):
    member = add(visits, visit, MEMBER)
    path = f"{members_path(visit)}/{member['id']}"
    stale = visits.call("PATCH", path, {"title": "Director"}, roles="protocol", headers={"If-Match": '"7"'})
    assert_problem(stale, 412)
    updated = visits.call("PATCH", path, {"languages": ["zh"], "dietary_needs": None}, roles="protocol",
                          headers={"If-Match": '"1"'})
    assert updated.json["languages"] == ["zh"] and updated.json["version"] == 2
    assert_problem(visits.call("DELETE", path, roles="protocol", headers={"If-Match": '"1"'}), 412)
    removed = visits.call("DELETE", path, roles="protocol", headers={"If-Match": '"2"'})
    assert removed.status_code == 204
    assert_problem(visits.call("GET", path), 404)
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.delegation-member.")] == [
        "added", "updated", "removed"]
    assert audit_actions(visits, member["id"]) == [
        "delegation-member.added", "delegation-member.updated", "delegation-member.removed"]


def test_removing_a_member_takes_them_off_the_programme_and_reseats_the_plans_with_an_event_for_each(
        visits, visit):
    head, member = add(visits, visit, HEAD), add(visits, visit, MEMBER)
    talks = post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {
        "kind": "meeting", "title": "Talks", "starts_at": "2027-03-10T10:00:00", "ends_at": "2027-03-10T11:00:00",
        "time_zone": "Europe/Sofia", "host_participants": ["Mayor of Sofia"],
        "guest_participants": [head["id"], member["id"]]})
    lunch = post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {
        "kind": "meal", "title": "Lunch", "starts_at": "2027-03-10T12:00:00", "ends_at": "2027-03-10T13:00:00",
        "time_zone": "Europe/Sofia", "guest_participants": [member["id"]]})
    alone = post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {
        "kind": "site_visit", "title": "Tech park", "starts_at": "2027-03-11T10:00:00",
        "ends_at": "2027-03-11T11:00:00", "time_zone": "Europe/Sofia", "guest_participants": [head["id"]]})
    plan = post(visits, f"/api/v1/visits/{visit['id']}/seating-plans", {
        "title": "Lunch", "hosts": [{"name": "Mayor of Sofia", "rank": "mayor"},
                                    {"name": "Deputy Mayor", "rank": "deputy_mayor"}]})
    assert len(plan["seats"]) == 4

    removed = visits.call("DELETE", f"{members_path(visit)}/{head['id']}", roles="protocol",
                          headers={"If-Match": '"1"'})

    assert removed.status_code == 204
    items = {i["id"]: i for i in visits.call("GET", f"/api/v1/visits/{visit['id']}/agenda-items").json["items"]}
    assert (items[talks["id"]]["guest_participants"], items[talks["id"]]["version"]) == ([member["id"]], 2)
    assert items[lunch["id"]]["version"] == 1
    assert (items[alone["id"]]["guest_participants"], items[alone["id"]]["version"]) == ([], 2)
    reseated = visits.call("GET", f"/api/v1/visits/{visit['id']}/seating-plans/{plan['id']}").json
    assert [(s["name"], s["principal"]) for s in reseated["seats"]] == [
        ("Mayor of Sofia", True), ("Wang Fang", True), ("Deputy Mayor", False)]
    assert reseated["version"] == 2
    updated = [e["subject"] for e in outbox(visits, "chancery.visits.agenda-item.updated.")]
    assert updated == [talks["id"], alone["id"]]
    [regenerated] = [e for e in outbox(visits, "chancery.visits.seating-plan.") if e["data"]["plan"]["version"] == 2]
    assert regenerated["data"]["plan"]["seats"] == 3
    [gone] = outbox(visits, "chancery.visits.delegation-member.removed.")
    assert gone["data"]["removed_from"] == {"agenda_item_ids": [talks["id"], alone["id"]],
                                            "seating_plan_ids": [plan["id"]]}


@pytest.mark.parametrize(("change", "field"), [
    ({"languages": ["Chinese"]}, "languages.0"),
    ({"country": "China"}, "country"),
    ({"role": "guest"}, "role"),
    ({"name_latin": ""}, "name_latin"),
    ({"name_original": None}, "name_original"),
    ({"nickname": "Li"}, "nickname"),
])
def test_a_member_with_a_bad_field_is_refused_naming_it(visits, visit, change, field):
    assert_problem(visits.call("POST", members_path(visit), {**MEMBER, **change}, roles="protocol"), 422, field)
    assert visits.call("GET", members_path(visit)).json["total"] == 0


def test_a_member_cannot_be_set_to_a_null_name_by_patch(visits, visit):
    member = add(visits, visit, MEMBER)
    refused = visits.call("PATCH", f"{members_path(visit)}/{member['id']}", {"name_latin": None}, roles="protocol")
    assert_problem(refused, 422, "name_latin")


@pytest.mark.parametrize("closing", [("cancel", "the summit was moved"), ("complete", None)])
def test_the_delegation_of_a_closed_visit_cannot_change(visits, visit, closing):
    member = add(visits, visit, MEMBER)
    if closing[0] == "complete":
        for action in ("confirm", "start"):
            assert act(visits, visit["id"], action).status_code == 200
    assert act(visits, visit["id"], *closing).status_code == 200
    assert assert_problem(visits.call("POST", members_path(visit), HEAD, roles="protocol"), 409)["type"].endswith(
        "visit-closed")
    assert_problem(visits.call("PATCH", f"{members_path(visit)}/{member['id']}", {"title": "x"}, roles="protocol"),
                   409)
    assert_problem(visits.call("DELETE", f"{members_path(visit)}/{member['id']}", roles="protocol"), 409)


def test_a_member_of_another_visit_is_not_found_under_this_one(visits, visit):
    other = create_visit(visits)
    member = add(visits, visit, MEMBER)
    assert_problem(visits.call("GET", f"/api/v1/visits/{other['id']}/members/{member['id']}"), 404)
    assert_problem(visits.call("PATCH", f"/api/v1/visits/{other['id']}/members/{member['id']}", {"title": "x"},
                               roles="protocol"), 404)


def test_members_of_a_visit_that_does_not_exist_are_404(visits):
    assert_problem(visits.call("GET", "/api/v1/visits/nope/members"), 404)
    assert_problem(visits.call("POST", "/api/v1/visits/nope/members", MEMBER, roles="protocol"), 404)


def test_the_member_list_filters_by_role_and_sorts_by_latin_name(visits, visit):
    for person in (HEAD, MEMBER, INTERPRETER, GUARD):
        add(visits, visit, person)
    listed = visits.call("GET", f"{members_path(visit)}?sort=name_latin").json
    assert [m["name_latin"] for m in listed["items"]] == ["Chen Lixin", "Li Na", "Wang Fang", "Zhang Wei"]
    security = visits.call("GET", f"{members_path(visit)}?role=security").json
    assert [m["name_latin"] for m in security["items"]] == ["Zhang Wei"]
    assert visits.call("GET", f"{members_path(visit)}?page_size=2").json["total"] == 4


def test_adding_a_member_twice_with_one_idempotency_key_adds_them_once(visits, visit):
    headers = {"Idempotency-Key": "member-1"}
    first = visits.call("POST", members_path(visit), MEMBER, roles="protocol", headers=headers)
    again = visits.call("POST", members_path(visit), MEMBER, roles="protocol", headers=headers)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert visits.call("GET", members_path(visit)).json["total"] == 1


def test_the_mayors_office_reads_the_delegation_but_cannot_change_it_and_travel_staff_see_nothing(visits, visit):
    member = add(visits, visit, MEMBER)
    assert visits.call("GET", members_path(visit), roles="mayor-office").status_code == 200
    assert_problem(visits.call("POST", members_path(visit), HEAD, roles="mayor-office"), 403)
    assert_problem(visits.call("DELETE", f"{members_path(visit)}/{member['id']}", roles="mayor-office"), 403)
    assert_problem(visits.call("GET", f"/api/v1/visits/{visit['id']}/delegation", roles="travel"), 403)


# --- the visit's partner and its lifecycle with reasons ---

def test_a_visit_names_its_partner_in_its_events_and_can_be_unlinked_with_null(visits, visit):
    assert outbox(visits, "chancery.visits.visit.created")[0]["data"]["partner_id"] == PARTNER
    unlinked = visits.call("PATCH", f"/api/v1/visits/{visit['id']}", {"partner_id": None}, roles="protocol")
    assert unlinked.json["partner_id"] is None
    assert outbox(visits, "chancery.visits.visit.updated")[0]["data"]["partner_id"] is None


def test_a_visit_created_without_a_partner_has_a_null_partner_in_its_event(visits):
    create_visit(visits)
    assert outbox(visits, "chancery.visits.visit.created")[0]["data"]["partner_id"] is None


def test_the_visits_list_filters_by_partner(visits, visit):
    create_visit(visits)
    listed = visits.call("GET", f"/api/v1/visits?partner_id={PARTNER}").json
    assert [v["id"] for v in listed["items"]] == [visit["id"]]


def test_the_status_history_keeps_every_step_with_its_actor_and_reason(visits, visit):
    assert act(visits, visit["id"], "propose", "agreed at the March coordination meeting").status_code == 200
    assert act(visits, visit["id"], "confirm").status_code == 200
    assert act(visits, visit["id"], "cancel", "the vice mayor fell ill").status_code == 200
    assert act(visits, visit["id"], "start").status_code == 409
    history = visits.call("GET", f"/api/v1/visits/{visit['id']}/status-history", roles="mayor-office").json["items"]
    assert [(h["action"], h["from_status"], h["to_status"], h["reason"]) for h in history] == [
        ("propose", "draft", "proposed", "agreed at the March coordination meeting"),
        ("confirm", "proposed", "confirmed", None),
        ("cancel", "confirmed", "cancelled", "the vice mayor fell ill"),
    ]
    assert {h["actor"] for h in history} == {"olga"}
