"""Interpreters: a register by language pair and mode, bookings against agenda items without double
booking, and a request raised when nobody can cover a pair."""

import pytest

from services.visits.tests.support import assert_problem, create_visit, outbox, post

MARIYA = {"name": "Mariya Ivanova", "pairs": ["ru-bg", "bg-en"], "modes": ["consecutive", "simultaneous"]}
WANG = {"name": "Wang Lei", "pairs": ["zh-bg"], "modes": ["consecutive"]}
TALKS = {"kind": "meeting", "title": "Talks on urban transport", "starts_at": "2027-03-10T10:00:00",
         "ends_at": "2027-03-10T11:30:00", "time_zone": "Europe/Sofia"}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


@pytest.fixture
def visit(visits):
    return create_visit(visits, country="CN", city="Shanghai", partner_id="partner-shanghai")


def item(visits, visit, **changes):
    return post(visits, f"/api/v1/visits/{visit['id']}/agenda-items", {**TALKS, **changes})


def need(visits, visit, agenda_item, pair="zh-bg", mode="consecutive", **extra):
    return visits.call("POST", f"/api/v1/visits/{visit['id']}/interpretation-needs",
                       {"agenda_item_id": agenda_item["id"], "language_pair": pair, "mode": mode, **extra},
                       roles="protocol")


def test_the_register_keeps_pairs_both_ways_and_finds_interpreters_by_pair_and_mode(visits):
    mariya = post(visits, "/api/v1/interpreters", MARIYA)
    post(visits, "/api/v1/interpreters", WANG)
    assert mariya["pairs"] == ["bg-en", "bg-ru"]
    by_pair = visits.call("GET", "/api/v1/interpreters?pair=ru-bg", roles="mayor-office").json["items"]
    assert [i["name"] for i in by_pair] == ["Mariya Ivanova"]
    simultaneous = visits.call("GET", "/api/v1/interpreters?mode=simultaneous").json["items"]
    assert [i["name"] for i in simultaneous] == ["Mariya Ivanova"]
    assert outbox(visits, "chancery.visits.interpreter.registered")[0]["data"]["pairs"] == ["bg-en", "bg-ru"]


@pytest.mark.parametrize(("body", "field"), [({**WANG, "pairs": ["bg-bg"]}, "pairs"),
                                             ({**WANG, "pairs": ["chinese-bg"]}, "pairs.0"),
                                             ({**WANG, "modes": ["whispered"]}, "modes.0")])
def test_an_interpreter_with_a_bad_pair_or_mode_is_refused(visits, body, field):
    assert_problem(visits.call("POST", "/api/v1/interpreters", body, roles="protocol"), 422, field)


def test_a_need_someone_covers_is_booked_with_the_first_free_interpreter(visits, visit):
    wang = post(visits, "/api/v1/interpreters", WANG)
    talks = item(visits, visit)
    booked = need(visits, visit, talks, pair="bg-zh")
    assert booked.status_code == 201, booked.json
    assert (booked.json["status"], booked.json["interpreter_id"], booked.json["language_pair"]) == (
        "booked", wang["id"], "bg-zh")
    [event] = outbox(visits, "chancery.visits.interpretation-need.")
    assert event["type"] == "chancery.visits.interpretation-need.booked.v1"
    assert event["data"]["partner_id"] == "partner-shanghai"


def test_a_need_nobody_covers_raises_a_request_with_the_reason(visits, visit):
    post(visits, "/api/v1/interpreters", MARIYA)
    talks = item(visits, visit)
    requested = need(visits, visit, talks).json
    assert (requested["status"], requested["interpreter_id"]) == ("requested", None)
    assert requested["reason"] == "no interpreter in the register covers bg-zh consecutive"
    [event] = outbox(visits, "chancery.visits.interpretation-need.")
    assert event["type"] == "chancery.visits.interpretation-need.requested.v1"
    open_requests = visits.call("GET", "/api/v1/interpretation-needs?status=requested").json["items"]
    assert [r["id"] for r in open_requests] == [requested["id"]]


def test_an_interpreter_is_never_booked_twice_at_once_even_across_visits(visits, visit):
    wang = post(visits, "/api/v1/interpreters", WANG)
    need(visits, visit, item(visits, visit))
    other = create_visit(visits, country="CN", city="Beijing")
    overlapping = item(visits, other, title="Beijing talks", starts_at="2027-03-10T11:00:00",
                       ends_at="2027-03-10T12:00:00")
    requested = need(visits, other, overlapping).json
    assert requested["status"] == "requested" and "booked at that time" in requested["reason"]
    refused = need(visits, other, overlapping, interpreter_id=wang["id"])
    problem = assert_problem(refused, 409)
    assert problem["type"].endswith("double-booking") and "Talks on urban transport" in problem["detail"]


def test_an_interpreter_who_does_not_cover_the_pair_or_mode_cannot_be_booked(visits, visit):
    wang = post(visits, "/api/v1/interpreters", WANG)
    talks = item(visits, visit)
    assert_problem(need(visits, visit, talks, mode="simultaneous", interpreter_id=wang["id"]), 422, "interpreter_id")
    assert_problem(need(visits, visit, talks, pair="zh-zh"), 422, "language_pair")


def test_a_request_is_fulfilled_once_an_interpreter_joins_the_register_and_cancelling_frees_them(visits, visit):
    talks = item(visits, visit)
    requested = need(visits, visit, talks).json
    wang = post(visits, "/api/v1/interpreters", WANG)
    path = f"/api/v1/visits/{visit['id']}/interpretation-needs/{requested['id']}"
    booked = visits.call("POST", f"{path}/book", {"interpreter_id": wang["id"]}, roles="protocol",
                         headers={"If-Match": '"1"'})
    assert (booked.json["status"], booked.json["version"]) == ("booked", 2)
    again = visits.call("POST", f"{path}/book", {"interpreter_id": wang["id"]}, roles="protocol")
    assert assert_problem(again, 409)["allowed_actions"] == ["cancel"]
    assert visits.call("POST", f"{path}/cancel", roles="protocol").json["status"] == "cancelled"
    assert need(visits, visit, talks).json["interpreter_id"] == wang["id"]
    assert [e["type"].split(".")[-2] for e in outbox(visits, "chancery.visits.interpretation-need.")] == [
        "requested", "booked", "cancelled", "booked"]


def test_an_interpreter_no_longer_active_is_not_booked(visits, visit):
    wang = post(visits, "/api/v1/interpreters", WANG)
    visits.call("PATCH", f"/api/v1/interpreters/{wang['id']}", {"active": False}, roles="protocol")
    assert need(visits, visit, item(visits, visit)).json["status"] == "requested"


def test_moving_an_item_onto_another_booking_of_its_interpreter_is_a_clash(visits, visit):
    post(visits, "/api/v1/interpreters", WANG)
    talks = item(visits, visit)
    need(visits, visit, talks)
    lunch = item(visits, visit, kind="meal", title="Lunch", starts_at="2027-03-10T12:00:00",
                 ends_at="2027-03-10T13:00:00")
    assert need(visits, visit, lunch).json["status"] == "booked"
    moved = visits.call("PATCH", f"/api/v1/visits/{visit['id']}/agenda-items/{lunch['id']}",
                        {"starts_at": "2027-03-10T11:00:00"}, roles="protocol")
    problem = assert_problem(moved, 409)
    assert [(c["item_id"], c["reason"]) for c in problem["clashes"]] == [(talks["id"], "interpreter")]
    assert "interpreter Wang Lei is already booked for" in problem["detail"]


def test_the_mayors_office_reads_the_register_but_cannot_book_and_travel_sees_nothing(visits, visit):
    talks = item(visits, visit)
    assert visits.call("GET", "/api/v1/interpreters", roles="mayor-office").status_code == 200
    assert_problem(visits.call("POST", "/api/v1/interpreters", WANG, roles="mayor-office"), 403)
    assert_problem(visits.call("POST", f"/api/v1/visits/{visit['id']}/interpretation-needs",
                               {"agenda_item_id": talks["id"], "language_pair": "zh-bg", "mode": "consecutive"},
                               roles="mayor-office"), 403)
    assert_problem(visits.call("GET", "/api/v1/interpretation-needs", roles="travel"), 403)
