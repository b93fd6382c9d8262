"""A passport canary sent through every flow that takes passport data, on visits and trips as real processes:
afterwards it is found in plaintext nowhere but in the answers to the roles that may read it: not in the
database files, the logs, the broker's messages, the exported spans or /metrics."""

import uuid
from dataclasses import dataclass, field

import pytest

from services.trips.api.schemas import TRIP_EXAMPLE
from services.visits.tests.support import VISIT
from tests.support.broker import CitySystemListener
from tests.support.processes import Suite, http

pytestmark = pytest.mark.integration
CANARY, BIRTHPLACE, BIRTHDAY = "ZZCANARY123", "Zzcanaryville", "1961-02-03"
SECRETS = (CANARY, BIRTHPLACE, BIRTHDAY)


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips"), tmp_path_factory.mktemp("canary")) as suite:
        yield suite


@pytest.fixture(scope="module")
def broker_messages(suite):
    listener = CitySystemListener(suite.namespace)
    yield listener
    listener.close()


@dataclass
class Recorder:
    """Sends each request with its own X-Request-ID and remembers it, to look for its audit records later."""

    suite: Suite
    sent: list[tuple[str, str, str, int, str]] = field(default_factory=list)

    def call(self, method: str, service: str, path: str, body=None, roles: str = "protocol"):
        request_id = f"canary-{uuid.uuid4()}"
        answer = self.suite.call(method, service, path, body, roles=roles, headers={"X-Request-ID": request_id})
        self.sent.append((service, method, path, answer.status, request_id))
        return answer


def ok(answer, status=200):
    assert answer.status == status, answer.json
    return answer.json


def visa_letter_flow(suite: Recorder) -> dict:
    visit = ok(suite.call("POST", "visits", "/api/v1/visits", VISIT, roles="protocol"), 201)
    member = ok(suite.call("POST", "visits", f"/api/v1/visits/{visit['id']}/members", {
        "role": "head", "name_original": "Zoé Canary", "name_latin": "Zoe Canary", "title": "Deputy Mayor",
        "organisation": "Ville de Lyon", "country": "FR"}, roles="protocol"), 201)
    letters = f"/api/v1/visits/{visit['id']}/visa-letters"
    refused = suite.call("POST", "visits", letters, {"member_id": member["id"], "passport_number": CANARY},
                         roles="protocol")
    assert refused.status == 422 and CANARY not in str(refused.json)
    letter = ok(suite.call("POST", "visits", letters, {
        "member_id": member["id"], "language": "en", "consulate": "Consulate General of Bulgaria in Lyon",
        "passport_number": CANARY, "date_of_birth": BIRTHDAY, "place_of_birth": BIRTHPLACE,
        "passport_expires_on": "2031-05-01"}, roles="protocol"), 201)
    for action, roles in (("submit", "protocol"), ("approve", "mayor-office"), ("issue", "protocol")):
        ok(suite.call("POST", "visits", f"{letters}/{letter['id']}/{action}", roles=roles))
    assert suite.call("GET", "visits", f"{letters}/{letter['id']}/document", roles="protocol").status == 200
    return ok(suite.call("GET", "visits", f"{letters}/{letter['id']}", roles="protocol"))


def trip_passport_flow(suite: Recorder) -> list[dict]:
    trip = ok(suite.call("POST", "trips", "/api/v1/trips", {**TRIP_EXAMPLE, "invitation_id": None}, roles="travel"),
              201)
    read = []
    for traveller in trip["travellers"]:
        path = f"/api/v1/trips/{trip['id']}/travellers/{traveller['id']}/passport"
        ok(suite.call("PUT", "trips", path, {"number": CANARY, "expires_on": "2031-02-14",
                                              "date_of_birth": BIRTHDAY}, roles="travel"))
        read.append(ok(suite.call("GET", "trips", path, roles="travel")))
    return read


def everything_written(suite, broker_messages) -> dict[str, str]:
    """Every place the suite wrote to, as text: files under its directory (databases, logs, spans, metrics),
    the messages it published, and what /metrics serves."""
    places = {str(path): path.read_bytes().decode("utf-8", errors="replace")
              for path in suite.workdir.rglob("*") if path.is_file()}
    messages = []
    while not any(".visa-letter.issued." in body["type"] for body, _ in messages):
        arrived = broker_messages.receive(count=1, timeout=30)
        assert arrived, "the visa letter's issued event never reached the broker"
        messages += arrived
    messages += broker_messages.receive(count=1000, timeout=1)  # and whatever trips published meanwhile
    places["broker"] = repr([(body, properties.headers) for body, properties in messages])
    for service in suite.services:
        places[f"{service} /metrics"] = str(http("GET", suite.url(service, "/metrics")).body)
    return places


@pytest.fixture(scope="module")
def flows(suite, broker_messages) -> Recorder:
    recorder = Recorder(suite)
    letter = visa_letter_flow(recorder)
    passports = trip_passport_flow(recorder)
    assert (letter["passport_number"], letter["place_of_birth"]) == (CANARY, BIRTHPLACE)
    assert {passport["number"] for passport in passports} == {CANARY}
    return recorder


def test_the_passport_canary_is_in_plaintext_nowhere_but_the_answers_to_those_who_may_read_it(
        suite, broker_messages, flows):
    places = everything_written(suite, broker_messages)
    assert any(name.endswith("visits.db") for name in places) and any("trips-web" in name for name in places)
    assert ".trips." in places["broker"]  # the listener saw both services' events
    leaks = {name: secret for name, text in places.items() for secret in SECRETS if secret in text}
    assert not leaks


def reads_personal_data(method: str, path: str) -> bool:
    return method == "GET" and (path.endswith("/passport") or "/visa-letters/" in path)


def test_every_write_and_every_read_of_personal_data_left_an_audit_record_of_its_request(suite, flows):
    unaudited = []
    for service, method, path, status, request_id in flows.sent:
        if 200 <= status < 300 and (method != "GET" or reads_personal_data(method, path)):
            records = suite.call("GET", service, f"/api/v1/audit-records?request_id={request_id}", roles="auditor")
            if records.status != 200 or not records.json["items"]:
                unaudited.append(f"{service} {method} {path}")
    assert not unaudited
    assert any(reads_personal_data(method, path) for _, method, path, _, _ in flows.sent)
