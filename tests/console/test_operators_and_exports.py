"""The operators' page and the lists' exports on real processes (decision 0098): visits and notifications with
their workers' probes, the console in front, the real broker. An operator sees each service's readiness, inspects a
dead letter, replays it once its cause is fixed and it is applied once; a purge needs the service's name typed;
no other role gets in. A filtered list exported as XLSX and CSV holds exactly the rows the filters select, every
page of them, under headers in the person's language."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid

import pytest
from openpyxl import load_workbook

from tests.console.people import Person
from tests.support.broker import publish_raw
from tests.support.console import Console
from tests.support.processes import VISIT, Suite, eventually, free_port

pytestmark = pytest.mark.integration
STARTED = "chancery.visits.visit.started.v1"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "notifications"), tmp_path_factory.mktemp("operators"), worker_probes=True) as running:
        yield running


@pytest.fixture(scope="module")
def console(suite):
    nowhere = {f"CONSOLE_{name.upper()}_URL": f"http://127.0.0.1:{free_port()}" for name in ("trips", "contracts",
                                                                                             "outreach")}
    workers = {f"CONSOLE_{name.upper()}_WORKER_URL": f"http://127.0.0.1:{port}"
               for name, port in suite.worker_ports.items()}
    return Console(suite, env={**nowhere, **workers}).start()  # stopped with the suite


@pytest.fixture(scope="module")
def operator(console):
    person = Person(console.url(""))
    assert person.sign_in("otto", ["operator"]).status_code == 302
    return person


def row(html: str, service: str) -> str:
    start = html.index(f'<tr id="service-{service}">')
    return html[start:html.index("</tr>", start)]


def test_the_operator_sees_each_services_web_and_worker_ready_and_a_service_that_does_not_answer_as_down(operator):
    page = operator.get("/operators")
    assert page.status_code == 200
    visits = row(page.text, "visits")
    assert visits.count(">ready<") == 2 and "Dead letters: 0" in visits
    assert row(page.text, "contracts").count(">down<") == 1  # its web; its worker has no address configured
    assert "Operators" in operator.get("/").text


def test_a_person_without_the_operator_role_is_refused_every_operators_page_and_action(console):
    olga = Person(console.url(""))
    olga.sign_in("olga", ["protocol", "mayor-office"])
    assert "/operators" not in olga.get("/").text
    for path in ("/operators", "/operators/notifications/dead-letters", "/operators/notifications/dead-letters/x"):
        assert olga.get(path).status_code == 403, path
    token = olga.csrf("/")
    for action in ("replay", "purge"):
        refused = olga.client.post(f"/operators/notifications/dead-letters/{action}",
                                   data={"csrf_token": token, "message_id": "x", "confirmation": "notifications"})
        assert refused.status_code == 403


def _dora_with_a_time_zone_no_code_writes(suite) -> None:
    suite.call("GET", "notifications", "/api/v1/preferences", roles="protocol", sub="dora")
    assert suite.call("POST", "notifications", "/api/v1/subscriptions", {"pattern": STARTED},
                      roles="protocol", sub="dora").status == 201
    database = suite.direct_database_urls["notifications"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE recipients SET time_zone = 'Mars/Olympus' WHERE name = 'dora'")


def _publish_visit_started(suite) -> str:
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/chancery/visits", "type": STARTED,
             "time": "2027-01-15T09:00:00Z", "subject": str(uuid.uuid4()), "datacontenttype": "application/json",
             "data": {"delegation_name": "Delegation from Mars"}}
    publish_raw(suite.namespace, STARTED, json.dumps(event).encode())
    return event["id"]


def _inbox_entries(suite, event_id: str) -> list:
    inbox = suite.call("GET", "notifications", "/api/v1/inbox", roles="protocol", sub="dora").json["items"]
    return [item for item in inbox if item["event_id"] == event_id]


def test_the_operator_inspects_a_dead_letter_and_replays_it_after_the_fix_and_it_is_applied_once(suite, operator):
    _dora_with_a_time_zone_no_code_writes(suite)
    event_id = _publish_visit_started(suite)
    listed = eventually(lambda: (page := operator.get("/operators/notifications/dead-letters")).status_code == 200
                        and event_id in page.text and page, timeout=20, message="the dead letter listed")
    assert "Mars/Olympus" in listed.text
    shown = operator.get(f"/operators/notifications/dead-letters/{event_id}")
    assert "Mars/Olympus" in shown.text and "Delegation from Mars" in shown.text
    assert "Dead letters: 1" in row(operator.get("/operators").text, "notifications")

    current = suite.call("GET", "notifications", "/api/v1/preferences", roles="protocol", sub="dora")
    fixed = suite.call("PUT", "notifications", "/api/v1/preferences", {"time_zone": "Europe/Sofia"},
                       roles="protocol", sub="dora", headers={"If-Match": current.headers["etag"]})
    assert fixed.status == 200, fixed.body
    replayed = operator.send(f"/operators/notifications/dead-letters/{event_id}", "replay", {})
    assert replayed.status_code == 302 and "replayed=1" in replayed.headers["location"]
    eventually(lambda: _inbox_entries(suite, event_id), message="the replayed event in dora's inbox")
    assert len(_inbox_entries(suite, event_id)) == 1
    assert event_id not in operator.get("/operators/notifications/dead-letters").text


def test_a_purge_is_refused_until_the_services_name_is_typed_and_then_drops_the_dead_letters(suite, operator):
    publish_raw(suite.namespace, STARTED, b"not a cloud event")
    page = "/operators/notifications/dead-letters"
    eventually(lambda: "poison: body is not JSON" in operator.get(page).text, timeout=20,
               message="the unparsable message dead-lettered")
    for typed in ("", "visits", "yes"):
        refused = operator.send(page, "purge-all", {"confirmation": typed})
        assert refused.status_code == 422 and "Nothing was purged" in refused.text
    assert "poison: body is not JSON" in operator.get(page).text
    purged = operator.send(page, "purge-all", {"confirmation": "notifications"})
    assert purged.status_code == 302 and "purged=1" in purged.headers["location"]
    assert "No dead letters." in operator.get(page).text


@pytest.fixture(scope="module")
def visits(suite):
    """Three visits from Finland (one with a name a spreadsheet would take for a formula), one from Sweden, and
    more visits from Norway than one page of the API holds (MAX_PAGE_SIZE, 200)."""
    names = ["Делегация на Хелзинки", "Delegation of Tampere", "=1+1 Oulu"]
    for name in names:
        assert suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "delegation_name": name, "country": "FI"},
                          roles="protocol").status == 201
    suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "country": "SE"}, roles="protocol")
    for number in range(205):
        suite.call("POST", "visits", "/api/v1/visits", {**VISIT, "delegation_name": f"Oslo {number}",
                                                        "country": "NO"}, roles="protocol")
    return names


@pytest.fixture
def protocol_in_bulgarian(console):
    person = Person(console.url(""))
    person.sign_in("petra", ["protocol"])
    person.client.cookies.set("chancery_lang", "bg")
    return person


def test_an_xlsx_export_holds_the_rows_the_filtered_list_shows_under_bulgarian_headers(visits, protocol_in_bulgarian):
    shown = protocol_in_bulgarian.get("/visits", params={"country": "FI"})
    assert all(name in shown.text for name in visits)
    assert "/visits/export/xlsx?country=FI" in shown.text
    exported = protocol_in_bulgarian.get("/visits/export/xlsx", params={"country": "FI"})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Делегация", "Държава", "Град")
    assert sorted(row[0] for row in rows[1:]) == sorted(visits)
    assert {row[1] for row in rows[1:]} == {"FI"}
    assert all(cell.data_type == "s" for cell in sheet["A"])  # "=1+1 Oulu" stays text, never a formula


def test_a_csv_export_holds_every_page_of_what_the_filters_select(visits, protocol_in_bulgarian):
    exported = protocol_in_bulgarian.get("/visits/export/csv", params={"country": "NO"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Делегация"
    assert sorted(row[0] for row in rows[1:]) == sorted(f"Oslo {number}" for number in range(205))
    refused = protocol_in_bulgarian.get("/visits/export/csv", params={"country": "NO", "starts_from": "someday"})
    assert refused.status_code == 422 and "text/html" in refused.headers["content-type"]


def test_a_waiting_list_of_the_desk_exports_what_waits_and_an_unknown_format_is_not_found(suite,
                                                                                          protocol_in_bulgarian):
    invitation = {"title": "Forum of Black Sea Cities", "inviting_party": "Mayor of Varna", "country": "BG",
                  "city": "Varna", "location": "abroad", "starts_on": "2027-09-01", "ends_on": "2027-09-02",
                  "received_on": "2027-06-01"}
    assert suite.call("POST", "visits", "/api/v1/invitations", invitation, roles="protocol").status == 201
    assert "/waiting/invitations-to-triage/export/csv" in protocol_in_bulgarian.get(
        "/waiting/invitations-to-triage").text
    exported = protocol_in_bulgarian.get("/waiting/invitations-to-triage/export/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["Forum of Black Sea Cities", "Mayor of Varna"] and len(rows) == 2
    assert protocol_in_bulgarian.get("/waiting/invitations-to-triage/export/pdf").status_code == 404
    assert protocol_in_bulgarian.get("/invitations/export/pdf").status_code == 404
