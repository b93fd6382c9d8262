"""The mayor's invitation inbox through the API, the inbound handler and the overdue sweep."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from services.visits.handlers import receive_invitation
from services.visits.tasks import PERIODIC_TASKS
from services.visits.tests.support import assert_problem, outbox, post
from shared.bus.consumer import PoisonMessage
from shared.periodic import PeriodicRunner
from shared.uow import worker_unit_of_work

TODAY = datetime.now(UTC).date()
VIENNA = {"title": "Summit of European Capitals on Urban Mobility", "inviting_party": "Mayor of Vienna",
          "country": "AT", "city": "Vienna", "location": "abroad", "starts_on": "2027-06-14",
          "ends_on": "2027-06-15", "received_on": "2027-04-02", "partner_id": "partner-vienna"}
EMBASSY = {"title": "National Day reception", "inviting_party": "Embassy of France", "country": "BG",
           "city": "Sofia", "location": "in_city", "starts_on": "2027-07-14", "ends_on": "2027-07-14",
           "received_on": "2027-06-20"}
CONTRACT_FIELDS = {"id", "title", "inviting_party", "country", "city", "starts_on", "ends_on", "location",
                   "assigned_official", "partner_id"}


@pytest.fixture
def visits(service_app):
    return service_app("visits")


def inbox(visits, body=VIENNA):
    return post(visits, "/api/v1/invitations", body)


def act(visits, invitation, action, body=None, roles="mayor-office", **kwargs):
    return visits.call("POST", f"/api/v1/invitations/{invitation['id']}/{action}", {} if body is None else body,
                       roles=roles, **kwargs)


def assign(visits, invitation, days=7, assignee="Deputy Mayor for Transport", kind="official"):
    response = act(visits, invitation, "assign", {"assignee": assignee, "assignee_kind": kind,
                                                  "deadline": (TODAY + timedelta(days=days)).isoformat()},
                   roles="protocol")
    assert response.status_code == 200, response.json
    return response.json


def test_an_invitation_arrives_in_the_inbox_as_received_with_an_event(visits):
    invitation = inbox(visits)
    assert (invitation["status"], invitation["source"], invitation["overdue"]) == ("received", "api", False)
    [event] = outbox(visits, "chancery.visits.invitation.")
    assert event["type"] == "chancery.visits.invitation.received.v1"
    assert CONTRACT_FIELDS <= set(event["data"]) and event["data"]["partner_id"] == "partner-vienna"


def test_an_invitation_abroad_accepted_tells_trips_everything_the_contract_names(visits):
    invitation = inbox(visits)
    assert act(visits, invitation, "review", roles="protocol").status_code == 200
    assign(visits, invitation)
    accepted = act(visits, invitation, "accept", {"note": "the Mayor speaks on the panel"})
    assert accepted.status_code == 200, accepted.json
    assert (accepted.json["status"], accepted.json["attending_official"], accepted.json["visit_id"]) == (
        "accepted", "Deputy Mayor for Transport", None)
    [event] = outbox(visits, "chancery.visits.invitation.accepted")
    assert event["subject"] == invitation["id"]
    assert {name: event["data"][name] for name in CONTRACT_FIELDS} == {
        "id": invitation["id"], "title": VIENNA["title"], "inviting_party": "Mayor of Vienna", "country": "AT",
        "city": "Vienna", "starts_on": "2027-06-14", "ends_on": "2027-06-15", "location": "abroad",
        "assigned_official": "Deputy Mayor for Transport", "partner_id": "partner-vienna"}
    assert outbox(visits, "chancery.visits.visit.") == []


def test_an_invitation_in_the_city_accepted_becomes_a_draft_visit(visits):
    invitation = inbox(visits, EMBASSY)
    act(visits, invitation, "review", roles="protocol")
    accepted = act(visits, invitation, "accept", {"official": "Mayor of Sofia"}).json
    visit = visits.call("GET", f"/api/v1/visits/{accepted['visit_id']}").json
    assert (visit["status"], visit["host_official"], visit["delegation_name"], visit["starts_on"]) == (
        "draft", "Mayor of Sofia", "Embassy of France", "2027-07-14")
    assert [e["type"] for e in outbox(visits, "chancery.visits.visit.")] == ["chancery.visits.visit.created.v1"]
    assert outbox(visits, "chancery.visits.invitation.accepted")[0]["data"]["visit_id"] == visit["id"]


RECEPTION = {"kind": "reception", "starts_at": "2027-07-14T18:00:00", "ends_at": "2027-07-14T20:00:00",
             "time_zone": "Europe/Sofia", "venue": "Residence of the Ambassador of France"}


def test_an_invitation_in_the_city_accepted_as_a_function_schedules_it_and_the_answer_links_it(visits):
    invitation = inbox(visits, {**EMBASSY, "partner_id": "partner-france"})
    act(visits, invitation, "review", roles="protocol")
    accepted = act(visits, invitation, "accept", {"official": "Mayor of Sofia", "becomes": "function",
                                                  "function": RECEPTION})
    assert accepted.status_code == 200, accepted.json
    became = accepted.json["became"]
    assert (became["kind"], accepted.json["function_id"], accepted.json["visit_id"]) == (
        "function", became["id"], None)
    function = visits.call("GET", became["href"]).json
    assert (function["title"], function["kind"], function["officials"], function["partner_id"]) == (
        "National Day reception", "reception", ["Mayor of Sofia"], "partner-france")
    assert function["starts_at"] == "2027-07-14T15:00:00Z"
    [scheduled] = outbox(visits, "chancery.visits.function.scheduled")
    assert (scheduled["subject"], scheduled["data"]["partner_id"]) == (function["id"], "partner-france")
    assert outbox(visits, "chancery.visits.invitation.accepted")[0]["data"]["function_id"] == function["id"]
    assert outbox(visits, "chancery.visits.visit.") == []


def test_the_answer_says_a_visit_or_a_trip_when_that_is_what_the_invitation_became(visits):
    city = inbox(visits, EMBASSY)
    act(visits, city, "review", roles="protocol")
    visit = act(visits, city, "accept", {"official": "Mayor of Sofia"}).json
    assert visit["became"] == {"kind": "visit", "id": visit["visit_id"], "href": f"/api/v1/visits/{visit['visit_id']}"}
    abroad = inbox(visits)
    act(visits, abroad, "review", roles="protocol")
    trip = act(visits, abroad, "accept", {"official": "Mayor of Sofia"}).json
    assert trip["became"] == {"kind": "trip", "id": None, "href": None}
    assert inbox(visits)["became"] is None


@pytest.mark.parametrize(("invitation", "answer", "field"), [
    (EMBASSY, {"becomes": "function"}, "function"),
    (EMBASSY, {"becomes": "visit", "function": RECEPTION}, "function"),
    (EMBASSY, {"becomes": "trip"}, "becomes"),
    (VIENNA, {"becomes": "function", "function": RECEPTION}, "becomes"),
    (EMBASSY, {"becomes": "function", "function": {**RECEPTION, "starts_at": "2027-07-15T18:00:00",
                                                   "ends_at": "2027-07-15T20:00:00"}}, "function.starts_at"),
    (EMBASSY, {"becomes": "function", "function": {**RECEPTION, "time_zone": "Europe/Atlantis"}},
     "function.time_zone"),
    (EMBASSY, {"becomes": "function", "function": {**RECEPTION, "kind": "party"}}, "function.kind"),
])
def test_an_acceptance_that_cannot_become_what_it_asks_is_refused_naming_the_field_and_changes_nothing(
        visits, invitation, answer, field):
    received = inbox(visits, invitation)
    act(visits, received, "review", roles="protocol")
    assert_problem(act(visits, received, "accept", {"official": "Mayor of Sofia", **answer}), 422, field)
    assert visits.call("GET", f"/api/v1/invitations/{received['id']}").json["status"] == "under_review"
    assert outbox(visits, "chancery.visits.function.") == [] and outbox(visits, "chancery.visits.visit.") == []


def test_an_invitation_cannot_become_a_function_that_puts_the_official_in_two_places(visits):
    post(visits, "/api/v1/meetings", {"title": "Budget talks", "official": "Mayor of Sofia", "guests": ["IMF"],
                                      "country": "US", "starts_at": "2027-07-14T19:00:00",
                                      "ends_at": "2027-07-14T20:00:00", "time_zone": "Europe/Sofia"})
    invitation = inbox(visits, EMBASSY)
    act(visits, invitation, "review", roles="protocol")
    refused = act(visits, invitation, "accept", {"official": "Mayor of Sofia", "becomes": "function",
                                                 "function": RECEPTION})
    problem = assert_problem(refused, 409)
    assert problem["clashes"][0]["record"] == "meeting" and "Budget talks" in problem["detail"]
    assert visits.call("GET", f"/api/v1/invitations/{invitation['id']}").json["status"] == "under_review"


def test_accepting_needs_an_official_when_it_is_assigned_to_a_department(visits):
    invitation = inbox(visits)
    assign(visits, invitation, assignee="Department of Culture", kind="department")
    assert_problem(act(visits, invitation, "accept"), 422, "official")
    assert visits.call("GET", f"/api/v1/invitations/{invitation['id']}").json["status"] == "assigned"


def test_a_delegated_invitation_is_attended_by_the_official_it_was_delegated_to(visits):
    invitation = inbox(visits)
    act(visits, invitation, "review", roles="protocol")
    delegated = act(visits, invitation, "delegate", {"official": "Deputy Mayor for Culture"}).json
    assert (delegated["status"], delegated["assignee"]) == ("delegated", "Deputy Mayor for Culture")
    accepted = act(visits, invitation, "accept").json
    assert accepted["attending_official"] == "Deputy Mayor for Culture"
    assert outbox(visits, "chancery.visits.invitation.delegated")[0]["data"]["assigned_official"] == (
        "Deputy Mayor for Culture")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["Mayor of Vienna", "Summit of European Capitals on Urban Mobility", "budget session", "regret"]),
    ("ru", ["Уважаемые коллеги", "Summit of European Capitals on Urban Mobility", "budget session", "сожалению"]),
    ("bg", ["Уважаеми колеги", "Summit of European Capitals on Urban Mobility", "budget session", "съжаление"]),
])
def test_a_declined_invitation_has_a_reply_letter_in_the_language_chosen(visits, language, expected):
    invitation = inbox(visits)
    act(visits, invitation, "review", roles="protocol")
    declined = act(visits, invitation, "decline", {"reason": "the Mayor chairs the budget session",
                                                   "language": language})
    assert declined.json["status"] == "declined"
    letter = visits.call("GET", f"/api/v1/invitations/{invitation['id']}/reply-letter", roles="protocol")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages)
    text = " ".join(text.split())
    for phrase in expected:
        assert phrase in text, (phrase, text)


def test_an_invitation_not_declined_has_no_reply_letter(visits):
    invitation = inbox(visits)
    assert_problem(visits.call("GET", f"/api/v1/invitations/{invitation['id']}/reply-letter"), 409)


@pytest.mark.parametrize(("action", "body"), [("accept", {"official": "x"}),
                                              ("decline", {"reason": "x", "language": "en"}),
                                              ("delegate", {"official": "x"})])
def test_an_invitation_nobody_has_looked_at_cannot_be_answered(visits, action, body):
    invitation = inbox(visits)
    problem = assert_problem(act(visits, invitation, action, body), 409)
    assert problem["allowed_actions"] == ["review", "assign"]


def test_an_answered_invitation_allows_nothing_more(visits):
    invitation = inbox(visits)
    act(visits, invitation, "review", roles="protocol")
    act(visits, invitation, "decline", {"reason": "x", "language": "en"})
    assert assert_problem(act(visits, invitation, "assign", {"assignee": "a", "assignee_kind": "official",
                                                             "deadline": TODAY.isoformat()}, roles="protocol"),
                          409)["allowed_actions"] == []
    assert_problem(visits.call("PATCH", f"/api/v1/invitations/{invitation['id']}", {"title": "x"},
                               roles="protocol"), 409)


@pytest.mark.parametrize(("change", "field"), [({"ends_on": "2027-06-01"}, "ends_on"),
                                               ({"location": "moon"}, "location"),
                                               ({"country": "Austria"}, "country")])
def test_an_invitation_with_a_bad_field_is_refused_naming_it(visits, change, field):
    assert_problem(visits.call("POST", "/api/v1/invitations", {**VIENNA, **change}, roles="protocol"), 422, field)
    assert outbox(visits, "chancery.visits.invitation.") == []


def test_a_deadline_in_the_past_is_refused(visits):
    invitation = inbox(visits)
    refused = act(visits, invitation, "assign", {"assignee": "a", "assignee_kind": "official",
                                                 "deadline": (TODAY - timedelta(days=1)).isoformat()},
                  roles="protocol")
    assert_problem(refused, 422, "deadline")


def test_overdue_invitations_are_visible_once_their_deadline_has_passed(visits, monkeypatch):
    late = inbox(visits)
    assign(visits, late, days=3)
    on_time = inbox(visits, EMBASSY)
    assign(visits, on_time, days=30)
    later = datetime.now(UTC) + timedelta(days=5)
    monkeypatch.setattr(visits.app.extensions["chancery"], "clock", lambda: later)
    overdue = visits.call("GET", "/api/v1/invitations?overdue=true", roles="mayor-office").json["items"]
    assert [(i["id"], i["overdue"]) for i in overdue] == [(late["id"], True)]
    assert visits.call("GET", f"/api/v1/invitations/{on_time['id']}").json["overdue"] is False


def sweep(visits, now):
    runtime = visits.app.extensions["chancery"]
    task = next(task for task in PERIODIC_TASKS if task.name == "overdue-invitations")
    assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(task, now)


def test_the_sweep_reports_an_overdue_invitation_once_and_again_after_a_new_deadline(visits):
    late = inbox(visits)
    assign(visits, late, days=3)
    answered = inbox(visits, EMBASSY)
    act(visits, answered, "review", roles="protocol")
    act(visits, answered, "decline", {"reason": "x", "language": "bg"})
    frozen = datetime.now(UTC) + timedelta(days=5)
    sweep(visits, frozen)
    sweep(visits, frozen)
    events = outbox(visits, "chancery.visits.invitation.overdue")
    assert [(e["subject"], e["data"]["overdue"]) for e in events] == [(late["id"], True)]
    assign(visits, late, days=10)
    sweep(visits, frozen)
    sweep(visits, frozen + timedelta(days=10))
    assert len(outbox(visits, "chancery.visits.invitation.overdue")) == 2


def test_only_the_mayors_office_answers_and_travel_staff_see_no_invitations(visits):
    invitation = inbox(visits)
    act(visits, invitation, "review", roles="protocol")
    assert_problem(act(visits, invitation, "accept", {"official": "x"}, roles="protocol"), 403)
    assert_problem(act(visits, invitation, "decline", {"reason": "x", "language": "en"}, roles="protocol"), 403)
    assert_problem(visits.call("GET", "/api/v1/invitations", roles="travel"), 403)
    assert_problem(visits.call("POST", "/api/v1/invitations", VIENNA, roles="travel"), 403)


# --- the inbound handler, without a broker ---

INBOUND = {"document_id": "SO-2027-04-0117", "title": "Forum of Black Sea Cities", "inviting_party": "Mayor of Varna",
           "country": "BG", "city": "Varna", "location": "abroad", "starts_on": "2027-09-01",
           "ends_on": "2027-09-02", "received_on": "2027-04-02"}


def handle(visits, data):
    runtime = visits.app.extensions["chancery"]
    event = {"id": "e1", "type": "chancery.inbound.invitation.received.v1", "data": data}
    with runtime.database.session() as session:
        receive_invitation(worker_unit_of_work(runtime, session, "e1"), event)


def test_an_inbound_invitation_enters_the_inbox_once_per_document(visits):
    handle(visits, INBOUND)
    handle(visits, INBOUND)
    listed = visits.call("GET", "/api/v1/invitations").json["items"]
    assert [(i["source"], i["source_document_id"], i["created_by"]) for i in listed] == [
        ("city-docs", "SO-2027-04-0117", "worker:visits")]
    assert len(outbox(visits, "chancery.visits.invitation.received")) == 1


@pytest.mark.parametrize(("data", "named"), [
    ({**INBOUND, "country": "Bulgaria"}, "country"),
    ({k: v for k, v in INBOUND.items() if k != "title"}, "'title' is a required property"),
    ({**INBOUND, "starts_on": "next monday"}, "starts_on"),
    ({**INBOUND, "ends_on": "2027-08-01"}, "ends_on"),
    ({**INBOUND, "colour": "red"}, "colour"),
    ("not an object", "data"),
])
def test_an_inbound_invitation_that_breaks_its_schema_is_poison_naming_why(visits, data, named):
    with pytest.raises(PoisonMessage) as poisoned:
        handle(visits, data)
    assert named in str(poisoned.value)
    assert visits.call("GET", "/api/v1/invitations").json["total"] == 0
