"""A passport canary sent through every flow that takes passport data (visa letters in visits, travellers'
passports in trips), and a contact canary through every flow of outreach that takes a person's e-mail and phone
(decision 0045), on real processes: afterwards they are found in plaintext nowhere but in the answers to the roles
that may read them: not in the database files, the logs, the broker's messages, the exported spans or /metrics."""

import re
import uuid
from dataclasses import dataclass, field

import pytest

from services.outreach.api.partner_schemas import ContactCreate, PartnerCreate
from services.outreach.api.press_schemas import MediaContactCreate
from services.outreach.api.relation_schemas import (
    OfficeCreate,
    ParticipantCreate,
    ProgrammeCreate,
    SocietyCreate,
    StaffMemberCreate,
)
from services.trips.api.trip_schemas import TRIP_EXAMPLE
from services.visits.tests.support import VISIT
from tests.support.broker import PIKA_BROKER_URL, CitySystemListener, wait_until_consuming
from tests.support.examples import city_system
from tests.support.openapi import example_of
from tests.support.processes import Suite, eventually, http

pytestmark = pytest.mark.integration
CANARY, BIRTHPLACE, BIRTHDAY = "ZZCANARY123", "Zzcanaryville", "1961-02-03"
EMAIL, PHONE = "zzcanary123@canary.example", "+359 88 731 3370"
CORRECTED_EMAIL, CORRECTED_PHONE = "zzcanary123.new@canary.example", "+359 88 731 3371"
SECRETS = (CANARY, BIRTHPLACE, BIRTHDAY, EMAIL, PHONE, CORRECTED_EMAIL, CORRECTED_PHONE)
# The role that reads each service's personal data unmasked (every other gets it masked, and a masked read is no
# read of personal data).
UNMASKS = {"visits": "protocol", "trips": "travel", "outreach": "outreach"}
PERSONAL_RECORD = re.compile(r"/visa-letters/[^/]+(/document)?$|/passport$|/contacts/[^/]+$|-contacts/[^/]+$|"
                             r"/office-staff/[^/]+$|/compatriot-participants/[^/]+$")


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    with Suite(("visits", "trips", "outreach"), tmp_path_factory.mktemp("canary")) as suite:
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
    sent: list[tuple[str, str, str, str, int, str]] = field(default_factory=list)

    def call(self, method: str, service: str, path: str, body=None, roles: str = "protocol", headers=None):
        request_id = f"canary-{uuid.uuid4()}"
        answer = self.suite.call(method, service, path, body, roles=roles,
                                 headers={"X-Request-ID": request_id, **(headers or {})})
        self.sent.append((service, method, path, roles, answer.status, request_id))
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
    for action, roles in (("submit", "protocol"), ("return", "mayor-office"), ("submit", "protocol"),
                          ("approve", "mayor-office"), ("issue", "protocol")):
        body = {"reason": "Check the consulate's name"} if action == "return" else None
        ok(suite.call("POST", "visits", f"{letters}/{letter['id']}/{action}", body, roles=roles))
    assert suite.call("GET", "visits", f"{letters}/{letter['id']}/document", roles="protocol").status == 200
    for roles in ("protocol", "mayor-office"):
        assert CANARY not in str(ok(suite.call("GET", "visits", letters, roles=roles)))
    assert CANARY not in str(ok(suite.call("GET", "visits", f"{letters}/{letter['id']}", roles="mayor-office")))
    return ok(suite.call("GET", "visits", f"{letters}/{letter['id']}", roles="protocol"))


def trip_passport_flow(suite: Recorder) -> list[dict]:
    trip = ok(suite.call("POST", "trips", "/api/v1/trips", {**TRIP_EXAMPLE, "invitation_id": None}, roles="travel"),
              201)
    read = []
    for traveller in trip["travellers"]:
        path = f"/api/v1/trips/{trip['id']}/travellers/{traveller['id']}/passport"
        for expires_on in ("2031-02-14", "2032-02-14"):  # recorded, then corrected
            ok(suite.call("PUT", "trips", path, {"number": CANARY, "expires_on": expires_on,
                                                  "date_of_birth": BIRTHDAY}, roles="travel"))
        assert CANARY not in str(ok(suite.call("GET", "trips", path, roles="mayor-office")))
        read.append(ok(suite.call("GET", "trips", path, roles="travel")))
    ok(suite.call("GET", "trips", f"/api/v1/trips/{trip['id']}/travel-order.pdf", roles="travel"))
    version = ok(suite.call("GET", "trips", f"/api/v1/trips/{trip['id']}", roles="travel"))["version"]
    ok(suite.call("DELETE", "trips", f"/api/v1/trips/{trip['id']}/travellers/{trip['travellers'][-1]['id']}",
                  roles="travel", headers={"If-Match": f'"{version}"'}))
    return read


def contact_flows(suite: Recorder) -> list[dict]:
    """Every kind of person outreach keeps, added with the contact canary, corrected, read and listed by the
    roles that may; then one of them removed."""
    def create(path: str, body: dict) -> dict:
        return ok(suite.call("POST", "outreach", path, body, roles="outreach"), 201)

    partner = create("/api/v1/partners", example_of(PartnerCreate))
    holders = {"society_id": create("/api/v1/societies", example_of(SocietyCreate))["id"],
               "office_id": create("/api/v1/offices", example_of(OfficeCreate))["id"],
               "programme_id": create("/api/v1/compatriot-programmes", example_of(ProgrammeCreate))["id"]}
    people = {f"/api/v1/partners/{partner['id']}/contacts": example_of(ContactCreate),
              "/api/v1/media-contacts": example_of(MediaContactCreate),
              "/api/v1/organisation-contacts": {**example_of(ContactCreate), "society_id": holders["society_id"]},
              "/api/v1/office-staff": example_of(StaffMemberCreate, office_id=holders["office_id"]),
              "/api/v1/compatriot-participants": example_of(ParticipantCreate, programme_id=holders["programme_id"])}
    read = []
    for path, body in people.items():
        person = create(path, {**body, "email": EMAIL, "phone": PHONE})
        record = f"{path}/{person['id']}"
        ok(suite.call("PATCH", "outreach", record, {"email": CORRECTED_EMAIL, "phone": CORRECTED_PHONE},
                      roles="outreach", headers={"If-Match": '"1"'}))
        for roles in ("outreach", "mayor-office"):
            assert CORRECTED_EMAIL not in str(ok(suite.call("GET", "outreach", path, roles=roles)))
        assert CORRECTED_EMAIL not in str(ok(suite.call("GET", "outreach", record, roles="mayor-office")))
        read.append(ok(suite.call("GET", "outreach", record, roles="outreach")))
    ok(suite.call("DELETE", "outreach", record, roles="outreach", headers={"If-Match": '"2"'}), 204)
    return [*read, registry_contact_flow(suite)]


def registry_contact_flow(suite: Recorder) -> dict:
    """A partner's contact as the city registry sends it over chancery.inbound (decision 0046), read once."""
    wait_until_consuming(suite.suite.namespace, "outreach")
    registry = city_system.CitySystem(PIKA_BROKER_URL, namespace=suite.suite.namespace, source="/city/registry")
    partner_id, contact_id = (f"REG-{uuid.uuid4().hex[:8]}" for _ in range(2))
    try:
        registry.send_partner(registry_id=partner_id, kind="capital", name="Vienna", country="AT")
        registry.send_contact(registry_id=contact_id, partner_registry_id=partner_id, name="Klara Huber",
                              email=CORRECTED_EMAIL, phone=CORRECTED_PHONE)
    finally:
        registry.close()

    def contact() -> dict | None:
        partners = suite.suite.call("GET", "outreach", f"/api/v1/partners?registry_id={partner_id}",
                                    roles="outreach").json["items"]
        contacts = partners and suite.suite.call("GET", "outreach", f"/api/v1/partners/{partners[0]['id']}/contacts",
                                                 roles="outreach").json["items"]
        return contacts and f"/api/v1/partners/{partners[0]['id']}/contacts/{contacts[0]['id']}"
    return ok(suite.call("GET", "outreach", eventually(contact, timeout=20, message="the registry's contact"),
                         roles="outreach"))


def everything_written(suite, broker_messages) -> dict[str, str]:
    """Every place the suite wrote to, as text: files under its directory (databases, logs, spans, metrics),
    the messages it published, and what /metrics serves."""
    places = {str(path): path.read_bytes().decode("utf-8", errors="replace")
              for path in suite.workdir.rglob("*") if path.is_file()}
    messages = []
    for last in (".visa-letter.issued.", ".trip.updated.", ".compatriot-participant.removed."):
        while not any(last in body["type"] for body, _ in messages):
            arrived = broker_messages.receive(count=1, timeout=30)
            assert arrived, f"no {last} event ever reached the broker"
            messages += arrived
    messages += broker_messages.receive(count=1000, timeout=1)  # and whatever else was published meanwhile
    places["broker"] = repr([(body, properties.headers) for body, properties in messages])
    for service in suite.services:
        places[f"{service} /metrics"] = str(http("GET", suite.url(service, "/metrics")).body)
    return places


@pytest.fixture(scope="module")
def flows(suite, broker_messages) -> Recorder:
    recorder = Recorder(suite)
    letter = visa_letter_flow(recorder)
    passports = trip_passport_flow(recorder)
    people = contact_flows(recorder)
    assert (letter["passport_number"], letter["place_of_birth"]) == (CANARY, BIRTHPLACE)
    assert {passport["number"] for passport in passports} == {CANARY}
    assert {(person["email"], person["phone"]) for person in people} == {(CORRECTED_EMAIL, CORRECTED_PHONE)}
    return recorder


def test_the_canaries_are_in_plaintext_nowhere_but_the_answers_to_those_who_may_read_them(
        suite, broker_messages, flows):
    places = everything_written(suite, broker_messages)
    assert {"visits.db", "trips.db", "outreach.db"} <= {name.rsplit("/", 1)[-1] for name in places}
    assert all(f".{service}." in places["broker"] for service in suite.services)  # the listener heard them all
    leaks = {name: secret for name, text in places.items() for secret in SECRETS if secret in text}
    assert not leaks


def reads_personal_data(service: str, method: str, path: str, roles: str) -> bool:
    return method == "GET" and roles == UNMASKS[service] and bool(PERSONAL_RECORD.search(path))


def test_every_write_and_every_read_of_personal_data_left_an_audit_record_of_its_request(suite, flows):
    unaudited = []
    for service, method, path, roles, status, request_id in flows.sent:
        if 200 <= status < 300 and (method != "GET" or reads_personal_data(service, method, path, roles)):
            records = suite.call("GET", service, f"/api/v1/audit-records?request_id={request_id}", roles="auditor")
            if records.status != 200 or not records.json["items"]:
                unaudited.append(f"{service} {method} {path} as {roles}")
    assert not unaudited
    assert {service for service, method, path, roles, _, _ in flows.sent
            if reads_personal_data(service, method, path, roles)} == set(UNMASKS)
