"""The console's pieces on their own: redirect targets, settings, sessions and form refusals (its catalogs:
test_catalogs.py)."""

from __future__ import annotations

import select
import socket
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from services.console.calendar import on_day, span_of
from services.console.changes import _listed
from services.console.forms import changed_fields, refusal
from services.console.pages.outreach_plan import origin_page
from services.console.pages.trips import REASON_OPTIONAL, REASON_REQUIRED
from services.console.pages.visit_work import _report_follow_ups, _seating
from services.console.problems import field_messages, problem_message
from services.console.sessions import SessionStore
from services.console.settings import DEVELOPMENT_SECRET_KEY, load_console_settings
from services.console.upstream import Answer, NativeReadability
from services.console.web import safe_next
from shared.config import ConfigurationError
from shared.suite import member

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "evil.example", "\\\\evil", "/ok\x00", "", None])
def test_a_target_that_could_leave_the_console_goes_to_my_desk(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/", "/visits?status=draft", "/visits/1f0e4c1a"])
def test_a_local_path_is_kept_as_the_target_after_sign_in(target):
    assert safe_next(target) == target


def test_production_refuses_to_start_without_an_identity_provider():
    with pytest.raises(ConfigurationError, match="CHANCERY_OIDC_ISSUER"):
        load_console_settings({"CHANCERY_ENV": "production", "CONSOLE_SECRET_KEY": "k" * 40})


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY"):
        load_console_settings({"CHANCERY_ENV": "production", "CHANCERY_OIDC_ISSUER": "https://id.example",
                               "CONSOLE_SECRET_KEY": DEVELOPMENT_SECRET_KEY})


def test_the_development_sign_in_page_exists_only_in_development_without_a_provider():
    assert load_console_settings({"CHANCERY_ENV": "development"}).development_sign_in
    assert not load_console_settings({"CHANCERY_ENV": "development",
                                      "CHANCERY_OIDC_ISSUER": "https://id.example"}).development_sign_in


def test_a_stored_session_is_read_back_and_its_tokens_are_not_in_the_database_file(tmp_path):
    store = SessionStore(f"sqlite:///{tmp_path / 'console.db'}", "secret", idle_seconds=60)
    store.save("the-id", {"subject": "olga", "access_token": "CANARY-TOKEN-123"})
    assert store.load("the-id") == {"subject": "olga", "access_token": "CANARY-TOKEN-123"}
    assert b"CANARY-TOKEN-123" not in (tmp_path / "console.db").read_bytes()
    assert b"the-id" not in (tmp_path / "console.db").read_bytes()  # ids are stored hashed


def test_a_deleted_or_expired_session_is_gone(tmp_path):
    store = SessionStore(f"sqlite:///{tmp_path / 'console.db'}", "secret", idle_seconds=60)
    store.save("ended", {"subject": "olga"})
    store.delete("ended")
    assert store.load("ended") is None
    store.save("old", {"subject": "olga"})
    with sqlite3.connect(tmp_path / "console.db") as connection:
        connection.execute("UPDATE console_sessions SET expires_at = ?", (time.time() - 1,))
    assert store.load("old") is None


def test_a_session_written_under_another_key_is_not_read(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    SessionStore(url, "one key", idle_seconds=60).save("the-id", {"subject": "olga"})
    assert SessionStore(url, "another key", idle_seconds=60).load("the-id") is None


def test_a_session_changed_or_ended_by_another_process_is_read_as_it_now_is(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    here, elsewhere = (SessionStore(url, "secret", idle_seconds=60) for _ in range(2))
    here.save("the-id", {"subject": "olga", "language": "en"})
    assert here.load("the-id") == {"subject": "olga", "language": "en"}
    elsewhere.save("the-id", {"subject": "olga", "language": "bg"})
    assert here.load("the-id") == {"subject": "olga", "language": "bg"}
    elsewhere.delete("the-id")
    assert here.load("the-id") is None


def test_a_session_read_twice_is_decrypted_once_and_a_change_to_one_read_stays_out_of_the_next(tmp_path):
    store = SessionStore(f"sqlite:///{tmp_path / 'console.db'}", "secret", idle_seconds=60)
    store.save("the-id", {"subject": "olga", "roles": ["protocol"]})
    decrypted = []
    store.fernet = _Counting(store.fernet, decrypted)
    first = store.load("the-id")
    assert first is not None
    first["roles"].append("admin")
    assert store.load("the-id") == {"subject": "olga", "roles": ["protocol"]}
    assert decrypted == []  # the save left its plaintext beside the ciphertext it wrote


def test_a_pooled_connection_the_service_closed_is_seen_as_readable_and_an_open_idle_one_is_not():
    listener = socket.create_server(("127.0.0.1", 0))
    stream = NativeReadability().connect_tcp("127.0.0.1", listener.getsockname()[1], timeout=5)
    accepted, _ = listener.accept()
    try:
        assert stream.get_extra_info("is_readable") is False
        accepted.close()
        select.select([stream.get_extra_info("socket")], [], [], 5)  # the close reaches this end
        assert stream.get_extra_info("is_readable") is True
    finally:
        stream.close()
        listener.close()


class _Counting:
    def __init__(self, fernet, calls: list):
        self.fernet, self.calls = fernet, calls

    def decrypt(self, token: bytes) -> bytes:
        self.calls.append(token)
        return self.fernet.decrypt(token)


def test_a_problem_naming_fields_is_shown_beside_each_field_with_what_was_typed():
    answer = Answer(422, {"detail": "invalid", "errors": [{"field": "body.country", "message": "two letters"},
                                                           {"field": "ends_on", "message": "before the start"}]})
    state = refusal(answer, {"country": "France", "ends_on": "2027-01-01"})
    assert state.errors == {"country": "two letters", "ends_on": "before the start"}
    assert state.typed == {"country": "France", "ends_on": "2027-01-01"} and state.message is None


def test_a_problem_naming_a_field_the_form_does_not_have_is_said_above_the_form():
    answer = Answer(422, {"errors": [{"field": "body.hosts.0.rank", "message": "unknown rank"}]})
    assert refusal(answer, {"title": "Lunch", "hosts": "Mayor; king"}).message == "rank: unknown rank"


def test_a_clash_is_shown_beside_the_start_of_the_item():
    state = refusal(Answer(409, {"detail": "Hall 1 is already taken"}), {}, clash_field="starts_at")
    assert state.errors == {"starts_at": "Hall 1 is already taken"}


def test_the_fields_someone_else_changed_are_named():
    assert changed_fields({"city": "Lyon", "country": "FR"}, {"city": "Paris", "country": "FR"}) == ["city"]


def test_a_list_someone_else_changed_is_compared_as_the_form_showed_it():
    assert changed_fields({"flags": "FR, BG"}, {"flags": ["FR", "BG"]}) == []
    assert changed_fields({"flags": "FR, BG"}, {"flags": ["FR", "BG", "EU"]}) == ["flags"]


def test_a_month_is_whole_weeks_from_monday_and_a_week_is_seven_days():
    month = span_of("month", date(2027, 5, 19))
    assert (month.first, month.last) == (date(2027, 5, 1), date(2027, 5, 31))
    assert month.weeks[0][0] == date(2027, 4, 26) and month.weeks[-1][-1] == date(2027, 6, 6)
    assert all(len(week) == 7 for week in month.weeks)
    assert (month.previous, month.following) == (date(2027, 4, 1), date(2027, 6, 1))
    week = span_of("week", date(2027, 5, 19))
    assert week.weeks == [[date(2027, 5, 17) + timedelta(days=n) for n in range(7)]]
    assert (week.previous, week.following) == (date(2027, 5, 10), date(2027, 5, 24))


def test_a_visit_is_on_every_day_of_its_stay_and_no_other():
    visits = [{"starts_on": "2027-05-04", "ends_on": "2027-05-06"}]
    assert [day.day for day in (date(2027, 5, n) for n in range(3, 8)) if on_day(visits, day)] == [4, 5, 6]


def test_the_seating_forms_rows_become_hosts_with_the_chosen_principal_and_blank_rows_seat_nobody():
    body = _seating({"title": "Lunch", "host_name_1": "Deputy Mayor", "host_rank_1": "deputy_mayor",
                     "host_name_2": "Mayor of Sofia", "host_rank_2": "mayor", "host_name_3": "", "host_rank_3": "",
                     "principal": "2", "guest_ids": ["m1", "m2"]})
    assert body == {"title": "Lunch", "guest_ids": ["m1", "m2"],
                    "hosts": [{"name": "Deputy Mayor", "rank": "deputy_mayor", "principal": False},
                              {"name": "Mayor of Sofia", "rank": "mayor", "principal": True}]}
    assert _listed("FR, BG\nEU,") == ["FR", "BG", "EU"]


@pytest.fixture
def in_bulgarian():
    app = Flask("problems")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=lambda: "bg")
    with app.test_request_context():
        yield


def test_a_field_error_is_translated_by_its_rule_and_an_unknown_rule_keeps_the_services_text(in_bulgarian):
    answer = Answer(422, {"type": "https://chancery.city/problems/validation", "errors": [
        {"field": "body.due_on", "message": "Input should be a valid date", "code": "date_from_datetime_parsing"},
        {"field": "time_zone", "message": "'Mars' is not an IANA time zone", "code": "value_error"}]})
    assert field_messages(answer) == {"due_on": "Въведете дата.", "time_zone": "'Mars' is not an IANA time zone"}


def test_a_problem_is_translated_by_its_type_and_a_refused_step_names_the_possible_ones(in_bulgarian):
    refused = Answer(409, {"type": "https://chancery.city/problems/illegal-transition", "detail": "cannot complete",
                           "allowed_actions": ["propose", "cancel"]})
    assert problem_message(refused) == "Тази стъпка не е възможна сега. Възможно е сега: Предложи, Отмени."
    unknown = Answer(409, {"type": "https://chancery.city/problems/something-new", "detail": "Hall 1 is taken"})
    assert problem_message(unknown) == "Hall 1 is taken"
    assert problem_message(Answer(409, {"type": "https://chancery.city/problems/schedule-clash"})) == (
        "Това се застъпва с друг ангажимент на същото лице или място.")
    clash = Answer(409, {"type": "https://chancery.city/problems/schedule-clash", "clashes": [
        {"title": "Talks", "reason": "venue", "who": "City Hall"}]})
    assert problem_message(clash) == "Застъпва се с „Talks“ (мястото: City Hall)."


def test_the_reason_field_stands_beside_each_trip_action_whose_body_the_trips_api_requires_or_takes_one_in():
    document = member("trips").create_app().test_client().get("/openapi.json").json
    schemas = document["components"]["schemas"]
    reasons: dict[str, bool] = {}
    for path, operations in document["paths"].items():
        action = path.removeprefix("/api/v1/trips/{trip_id}/")
        if "/" in action or action == path or "post" not in operations:
            continue
        body = operations["post"].get("requestBody", {}).get("content", {}).get("application/json", {})
        schema = schemas[body["schema"]["$ref"].rsplit("/", 1)[-1]] if body else {}
        if "reason" in schema.get("properties", {}):
            reasons[action] = "reason" in schema.get("required", [])
    assert sorted(REASON_REQUIRED) == sorted(action for action, required in reasons.items() if required)
    assert sorted(REASON_OPTIONAL) == sorted(action for action, required in reasons.items() if not required)


def test_a_visit_reports_follow_ups_typed_one_per_line_keep_the_ids_of_those_whose_title_the_report_had():
    body = _report_follow_ups({"outcome": "A forum", "known_follow_ups": "f-1 Send the concept\nf-2 Thank-you letter\n",
                               "follow_ups": "2027-04-15; Maria Ivanova; International Relations; Send the concept\n"
                                             "\n2027-05-01; Petar Georgiev; ; Book the hall"})
    assert body == {"outcome": "A forum", "follow_ups": [
        {"id": "f-1", "due_on": "2027-04-15", "owner": "Maria Ivanova", "department": "International Relations",
         "title": "Send the concept"},
        {"due_on": "2027-05-01", "owner": "Petar Georgiev", "department": None, "title": "Book the hall"}]}


@pytest.mark.parametrize(("origin", "page"), [
    ({"kind": "visit_report", "href": "/api/v1/visits/v-1/report"}, "/visits/v-1/report"),
    ({"kind": "meeting_follow_up", "href": "/api/v1/meetings/m-1"}, "/meetings/m-1"),
    ({"kind": "trip", "href": "/api/v1/trips/t-1"}, "/trips/t-1"),
    ({"kind": "agreement", "href": "/api/v1/agreements/a-1"}, "/procurement/agreements/a-1"),
    ({"kind": "trip_report", "href": None}, None),
    (None, None),
])
def test_a_plan_items_origin_links_to_the_consoles_page_of_its_record(origin, page):
    with Flask("pieces").test_request_context():
        assert origin_page(origin) == page


@pytest.mark.parametrize(("following", "asked"), [
    ("/api/v1/partners?q=sofia&page_size=25&cursor=eyJzIjoiIn0", {"cursor": "eyJzIjoiIn0"}),
    ("/api/v1/visits/v1/questions?page_size=25&page=3", {"page": "3"}),
    (None, {}),
])
def test_a_lists_next_page_starts_where_its_next_link_says_and_the_last_page_has_none(following, asked):
    answer = Answer(200, {"items": [], "page": None, "page_size": 25, "total": 30, "total_exact": True,
                          "next": following})
    assert answer.following == asked
    assert Answer(503, None, unavailable=True).following == {}
