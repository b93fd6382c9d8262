"""The console's guarantees on real processes (decision 0090): nothing without a session, CSRF on every change,
no open redirect, a session renewed at sign-in and refused after sign-out, the security headers on every route,
no token anywhere the browser or the operators see, and a service that is away greying out only its part."""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from services.console.app import BLUEPRINTS
from tests.console.every_page import unmapped
from tests.console.people import Person
from tests.support.console import Console
from tests.support.processes import VISIT, eventually

pytestmark = pytest.mark.integration
OPEN_ROUTES = {"/sign-in", "/sign-in/development", "/sign-in/callback", "/signed-out", "/healthz", "/readyz",
               "/metrics", "/language", "/static/<path:filename>"}
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+")


def routes(methods: set[str]) -> list[tuple[str, str]]:
    """Every route of the console's blueprints (without building the app, which would set up logging)."""
    app = Flask("routes")
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & methods):
            if rule.rule not in OPEN_ROUTES:
                path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "confirm" if m[1] == "action" else "x1", rule.rule)
                found.append((method, path))
    return found


@pytest.fixture(scope="module")
def olga(console):
    person = Person(console.url(""))
    assert person.sign_in("olga", ["protocol", "mayor-office"]).status_code == 302
    return person


@pytest.mark.parametrize(("method", "path"), routes({"GET"}))
def test_no_page_fragment_or_stream_is_served_without_a_session(console, method, path):
    response = Person(console.url("")).client.request(method, path, headers={"HX-Request": "true"})
    assert response.status_code in (204, 302)
    target = response.headers.get("HX-Redirect") or response.headers["location"]
    assert target.startswith("/sign-in?next=")


@pytest.mark.parametrize(("method", "path"), routes({"POST"}))
def test_a_form_without_its_csrf_token_is_refused(console, olga, method, path):
    response = olga.client.request(method, path, data={"name": "x"})
    assert response.status_code == 400
    assert "The request was refused" in response.text


def test_a_form_with_the_token_of_another_session_is_refused(console, olga):
    stranger = Person(console.url(""))
    token = stranger.csrf()
    response = olga.client.post("/visits/new", data={"csrf_token": token, **VISIT})
    assert response.status_code == 400


def test_every_route_answers_with_the_security_headers(console, olga):
    for _method, path in [*routes({"GET"}), ("GET", "/sign-in"), ("GET", "/healthz"), ("GET", "/static/console.js")]:
        if path == "/live/inbox":
            continue  # a stream: its headers are checked below without reading it to the end
        headers = olga.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "unsafe-inline" not in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["referrer-policy"] == "same-origin", path
        assert headers["x-content-type-options"] == "nosniff", path
    with olga.client.stream("GET", "/live/inbox") as stream:
        assert "frame-ancestors 'none'" in stream.headers["content-security-policy"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_after_sign_in_an_address_outside_the_console_is_refused(console, target):
    response = Person(console.url("")).sign_in("olga", ["protocol"], next_page=target)
    assert response.headers["location"] == "/"


def test_after_sign_in_the_person_returns_to_the_page_they_asked_for(console):
    person = Person(console.url(""))
    asked = person.get("/visits?status=draft").headers["location"]
    next_page = parse_qs(urlsplit(asked).query)["next"][0]
    assert person.sign_in("olga", ["protocol"], next_page=next_page).headers["location"] == "/visits?status=draft"


def test_the_session_id_is_renewed_at_sign_in_and_refused_after_sign_out(console):
    person = Person(console.url(""))
    person.csrf()
    before = person.client.cookies["chancery_console"]
    person.sign_in("olga", ["protocol"])
    signed_in = person.client.cookies["chancery_console"]
    assert signed_in != before
    assert person.get("/").status_code == 200
    person.submit("/", "/sign-out", {})
    replayed = Person(console.url(""))
    replayed.client.cookies.set("chancery_console", signed_in)
    assert replayed.get("/").headers["location"].startswith("/sign-in")


def test_the_session_cookie_is_http_only_and_same_site_lax(console):
    person = Person(console.url(""))
    cookie = person.client.get("/sign-in").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_token_reaches_a_page_a_log_a_span_or_a_metric(console, suite, olga):
    created = olga.submit("/visits/new", "/visits/new", VISIT)
    pages = [olga.get(path).text for path in ("/", "/visits", created.headers["location"], "/invitations", "/inbox",
                                              "/inbox/subscriptions", "/inbox/unread")]
    assert not [page for page in pages if JWT.search(page)]
    assert "chancery_console" not in "".join(pages)
    written = [console.log_path, suite.workdir / "traces-console.jsonl"]
    assert not [path for path in written if path.exists() and JWT.search(path.read_text())]
    assert not JWT.search(olga.get("/metrics").text)


def test_a_page_and_the_service_calls_it_makes_are_one_trace_with_no_query_string_in_any_span(console, suite, olga):
    assert olga.get("/visits?q=Traced-search-term").status_code == 200

    def spans(name: str) -> list[dict]:
        path = suite.workdir / f"traces-{name}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []

    page = eventually(lambda: [span for span in spans("console") if span["name"] == "GET /visits"
                               and span["kind"] == "SpanKind.SERVER"], message="the page's span")[-1]
    calls = [span for span in spans("console") if span["parent_id"] == page["context"]["span_id"]
             and span["kind"] == "SpanKind.CLIENT"]
    assert calls and all("?" not in span["attributes"]["http.url"] for span in calls)
    answered = eventually(lambda: [span for span in spans("visits") if span["name"] == "GET /api/v1/visits"
                                   and span["parent_id"] in {call["context"]["span_id"] for call in calls}],
                          message="the visits API's span, a child of the console's call")
    assert answered[0]["context"]["trace_id"] == page["context"]["trace_id"]
    written = "".join(path.read_text() for path in suite.workdir.glob("traces-*.jsonl"))
    assert "Traced-search-term" not in written


def test_a_service_that_is_away_greys_out_only_its_part_of_my_desk(suite, tmp_path):
    away = Console(suite, env={"CONSOLE_TRIPS_URL": "http://127.0.0.1:9"}).start()
    try:
        person = Person(away.url(""))
        person.sign_in("maria", ["mayor-office"])
        desk = person.get("/")
        assert desk.status_code == 200
        assert "Trips cannot be shown: the service does not answer right now" in desk.text
        assert "Invitations to triage" in desk.text  # visits still answer
    finally:
        away.stop()


def test_a_department_head_sees_no_other_departments_trip(suite, console):
    trip = suite.call("POST", "trips", "/api/v1/trips", {
        "title": "Study visit to Vienna", "purpose": "Transport", "department": "Department B", "funding": "city",
        "destinations": [{"country": "AT", "city": "Vienna"}], "starts_on": "2027-05-03", "ends_on": "2027-05-05",
        "travellers": [{"full_name": "Petar Ivanov", "job_title": "Engineer", "category": "staff",
                        "department": "Department B"}]}, roles="travel")
    assert trip.status == 201, trip.body
    head_a = Person(console.url(""))
    head_a.sign_in("ana", ["department-head"], department="Department A")
    assert head_a.get(f"/trips/{trip.body['id']}").status_code == 404
    head_b = Person(console.url(""))
    head_b.sign_in("boris", ["department-head"], department="Department B")
    assert "Study visit to Vienna" in head_b.get(f"/trips/{trip.body['id']}").text


def test_a_session_that_ended_meanwhile_goes_to_sign_in_and_back_to_the_same_page(console, suite):
    person = Person(console.url(""))
    person.sign_in("olga", ["protocol"])
    with sqlite3.connect(suite.workdir / "console.db") as connection:
        connection.execute("DELETE FROM console_sessions")  # idled out, or ended elsewhere
    asked = person.get("/visits?status=draft")
    assert asked.status_code == 302
    next_page = parse_qs(urlsplit(asked.headers["location"]).query)["next"][0]
    assert next_page == "/visits?status=draft"
    assert person.sign_in("olga", ["protocol"], next_page=next_page).headers["location"] == "/visits?status=draft"


def test_every_get_route_of_the_console_is_walked_as_a_page_or_says_why_it_is_not():
    assert unmapped() == set()
