"""Confidential and embargoed cooperation agreements through the API (decision 0190): absent, with their documents
and amendments, for whoever need not know; their events routed as withheld; released once when made open or when
the embargo passes, and only then announced as expiring."""

from datetime import UTC, datetime, timedelta

import pytest

from services.contracts.tasks import announce_expiring_agreements, release_passed_embargoes
from services.contracts.tests.helpers import assert_problem, created, outbox, post
from services.contracts.tests.test_agreements import AGREEMENT, signed
from services.contracts.tests.test_commitments import COMMITMENT
from shared.bus.envelope import routing_key_for
from shared.uow import worker_unit_of_work

NEED_TO_KNOW = {"people": ["mila"], "roles": ["mayor-office"]}
DOCUMENT = {"title": "Draft text for the partner's comments", "url": "https://docs.city.example/lyon-draft.pdf"}
SHORT = {"valid_until": "2028-06-30",
         "activities": [{"title": "Festival", "due_on": "2027-09-15", "responsible_body": "Culture"}]}
OTHER_OFFICER = {"roles": "procurement", "sub": "rada"}


def drafted(contracts, **changes) -> dict:
    return created(contracts, "/api/v1/agreements", {**AGREEMENT, **changes}).json


def listed(contracts, **who) -> list[str]:
    response = contracts.call("GET", "/api/v1/agreements", **who)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def routed(contracts) -> list[tuple[str, str]]:
    """(type, routing key) of every event the service has recorded, in order."""
    return [(event_type, routing_key_for(event_type, data)) for event_type, data in outbox(contracts)]


def run_task(contracts, task, at) -> None:
    service = contracts.app.extensions["chancery"]
    with service.database.session() as session:
        task(worker_unit_of_work(service, session, task.__name__), at)


def test_a_confidential_agreement_and_its_parts_do_not_exist_for_whoever_need_not_know(contracts):
    secret = drafted(contracts, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    known = drafted(contracts)
    path = f"/api/v1/agreements/{secret['id']}"
    for who in (OTHER_OFFICER, {"roles": "outreach", "sub": "olga"}):
        assert listed(contracts, **who) == [known["id"]]
        for read in (path, f"{path}/documents", f"{path}/amendments"):
            assert_problem(contracts.call("GET", read, **who), 404)
    assert_problem(contracts.call("PATCH", path, {"title": "Renamed"}, headers={"If-Match": '"1"'},
                                  **OTHER_OFFICER), 404)
    assert_problem(post(contracts, f"{path}/documents", DOCUMENT, **OTHER_OFFICER), 404)
    assert_problem(post(contracts, f"{path}/submit", **OTHER_OFFICER), 404)
    assert_problem(post(contracts, "/api/v1/commitments", {**COMMITMENT, "agreement_id": secret["id"]},
                        **OTHER_OFFICER), 404)


@pytest.mark.parametrize("who", [{"roles": "procurement", "sub": "pavel"}, {"roles": "outreach", "sub": "mila"},
                                 {"roles": "mayor-office", "sub": "ivan"}, {"roles": "admin", "sub": "root"}],
                         ids=["its creator", "a person named", "a role named", "admin"])
def test_a_confidential_agreement_is_seen_by_its_creator_the_people_and_roles_named_and_admin(contracts, who):
    secret = drafted(contracts, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    assert listed(contracts, **who) == [secret["id"]]
    answer = contracts.call("GET", f"/api/v1/agreements/{secret['id']}", **who)
    assert answer.status_code == 200
    assert (answer.json["confidentiality"], answer.json["need_to_know"]) == ("confidential", NEED_TO_KNOW)
    assert contracts.call("GET", f"/api/v1/agreements/{secret['id']}/documents", **who).status_code == 200


def test_the_mayors_office_named_approves_a_confidential_agreement(contracts):
    secret = drafted(contracts, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    post(contracts, f"/api/v1/agreements/{secret['id']}/submit")
    approved = post(contracts, f"/api/v1/agreements/{secret['id']}/approve", roles="mayor-office", sub="ivan")
    assert approved.status_code == 200, approved.json
    assert approved.json["approved_by"] == "ivan"


def test_a_confidential_agreements_events_and_its_documents_are_routed_as_withheld_with_their_marking(contracts):
    secret = drafted(contracts, confidentiality="confidential", need_to_know=NEED_TO_KNOW)
    created(contracts, f"/api/v1/agreements/{secret['id']}/documents", DOCUMENT)
    assert routed(contracts) == [
        ("chancery.contracts.agreement.drafted.v1", "withheld.chancery.contracts.agreement.drafted.v1"),
        ("chancery.contracts.agreement-document.added.v1", "withheld.chancery.contracts.agreement-document.added.v1")]
    for _, data in outbox(contracts):
        assert (data["confidential"], data["embargoed"]) == (True, False)
        assert data["need_to_know"] == {"people": ["mila", "pavel"], "roles": ["mayor-office"]}


def test_a_signed_agreement_made_open_is_released_once_and_only_then_announced_as_expiring(contracts, clock):
    secret = signed(contracts, confidentiality="confidential", **SHORT)
    clock.at = datetime(2028, 4, 1, tzinfo=UTC)  # its notice period began
    run_task(contracts, announce_expiring_agreements, clock.at)
    assert {key for _, key in routed(contracts)} == {
        f"withheld.chancery.contracts.agreement.{action}.v1" for action in ("drafted", "submitted", "approved",
                                                                           "cleared", "signed")}
    path, etag = f"/api/v1/agreements/{secret['id']}", {"If-Match": f'"{secret["version"]}"'}
    refused = contracts.call("PATCH", path, {"title": "Renamed", "confidentiality": "open"}, headers=etag,
                             roles="procurement", sub="pavel")
    assert_problem(refused, 409)
    opened = contracts.call("PATCH", path, {"confidentiality": "open"}, headers=etag, roles="procurement", sub="pavel")
    assert opened.status_code == 200, opened.json
    run_task(contracts, release_passed_embargoes, clock.at)
    run_task(contracts, announce_expiring_agreements, clock.at)
    run_task(contracts, announce_expiring_agreements, clock.at)
    assert routed(contracts)[5:] == [(f"chancery.contracts.agreement.{action}.v1",) * 2
                                     for action in ("updated", "released", "expiring")]
    assert secret["id"] in listed(contracts, **OTHER_OFFICER)


def test_an_embargoed_agreement_appears_when_its_embargo_passes_and_is_released_once_by_the_sweep(contracts, clock):
    until = clock.at + timedelta(hours=2)
    embargoed = drafted(contracts, embargoed_until=until.isoformat())
    assert embargoed["id"] not in listed(contracts, **OTHER_OFFICER)
    run_task(contracts, release_passed_embargoes, clock.at)
    assert [key for _, key in routed(contracts)] == ["withheld.chancery.contracts.agreement.drafted.v1"]

    clock.at = until + timedelta(seconds=1)
    assert embargoed["id"] in listed(contracts, **OTHER_OFFICER)
    run_task(contracts, release_passed_embargoes, clock.at)
    run_task(contracts, release_passed_embargoes, clock.at)
    [(_, released)] = outbox(contracts)[1:]
    assert routed(contracts)[1:] == [("chancery.contracts.agreement.released.v1",) * 2]
    assert (released["id"], released["title"], "confidential" in released) == (embargoed["id"], AGREEMENT["title"],
                                                                                False)
