"""The compact resources: missions, organisations and memberships, offices abroad and their reviewed reports,
compatriot programmes, societies, export promotion."""

import pytest

from services.outreach.api.registers import RESOURCES
from services.outreach.store.models import Membership, OfficeReport
from services.outreach.tests.conftest import assert_problem
from shared.pii import mask

EXAMPLES = {resource.path: resource.create.model_config["json_schema_extra"]["examples"][0] for resource in RESOURCES}


def example(outreach, path, **changes):
    body = {**EXAMPLES[path], **changes}
    return outreach.create(f"/api/v1/{path}", body)


@pytest.fixture
def organisation(outreach):
    return example(outreach, "organisations")["id"]


@pytest.fixture
def office(outreach):
    return example(outreach, "offices")["id"]


@pytest.fixture
def enterprise(outreach):
    return example(outreach, "enterprises")["id"]


@pytest.fixture
def references(outreach, organisation, office, enterprise):
    programme = example(outreach, "compatriot-programmes")["id"]
    return {"memberships": {"organisation_id": organisation}, "office-reports": {"office_id": office},
            "export-events": {"participants": [{**EXAMPLES["export-events"]["participants"][0],
                                                "enterprise_id": enterprise}]},
            "organisation-contacts": {"society_id": None, "office_id": office},
            "office-staff": {"office_id": office}, "compatriot-participants": {"programme_id": programme}}


@pytest.mark.parametrize("resource", RESOURCES, ids=[resource.path for resource in RESOURCES])
def test_every_resource_is_created_read_changed_and_listed_with_its_events(outreach, references, resource):
    record = example(outreach, resource.path, **references.get(resource.path, {}))
    path = f"/api/v1/{resource.path}/{record['id']}"
    read = outreach.call("GET", path, roles="mayor-office")
    shown = {**record, **{name: mask(record[name]) for name in resource.personal}}
    assert read.status_code == 200 and read.json == shown and read.headers["ETag"] == '"1"'
    first_text = next(name for name in ("name", "title", "summary", "notes") if name in resource.create.model_fields)
    changed = outreach.call("PATCH", path, {first_text: "Renamed"}, roles="outreach", headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.json
    assert (changed.json[first_text], changed.json["version"]) == ("Renamed", 2)
    assert_problem(outreach.call("PATCH", path, {first_text: "Again"}, roles="outreach",
                                 headers={"If-Match": '"1"'}), 412)
    listed = outreach.call("GET", f"/api/v1/{resource.path}", roles="outreach").json
    assert record["id"] in {item["id"] for item in listed["items"]}
    created_type = "submitted" if resource.lifecycle else resource.created_action
    types = outreach.outbox_types()
    assert f"chancery.outreach.{resource.record}.{created_type}.v1" in types
    assert types[-1] == f"chancery.outreach.{resource.record}.updated.v1"
    assert outreach.call("POST", f"/api/v1/{resource.path}", EXAMPLES[resource.path], roles="protocol"
                         ).status_code == 403


def test_missions_are_found_by_name_and_sending_country(outreach):
    example(outreach, "missions")
    example(outreach, "missions", name="Consulate General of France", sending_country="FR", kind="consulate_general")
    names = lambda query: [m["name"] for m in outreach.call("GET", f"/api/v1/missions?{query}").json["items"]]  # noqa: E731
    assert names("sending_country=FR") == ["Consulate General of France"]
    assert names("q=bulgaria") == ["Embassy of the Republic of Bulgaria"]
    assert names("kind=embassy&sort=-name") == ["Embassy of the Republic of Bulgaria"]


def test_a_membership_of_an_unknown_organisation_or_with_dues_but_no_currency_is_refused(outreach, organisation):
    unknown = outreach.call("POST", "/api/v1/memberships", {**EXAMPLES["memberships"],
                                                            "organisation_id": "7c1e6a54-0000-4000-8000-000000000000"},
                            roles="outreach")
    assert_problem(unknown, 422, "organisation_id")
    no_currency = outreach.call("POST", "/api/v1/memberships", {**EXAMPLES["memberships"],
                                                                "organisation_id": organisation,
                                                                "dues_currency": None}, roles="outreach")
    assert_problem(no_currency, 422, "dues_currency")
    assert outreach.count(Membership) == 0
    membership = example(outreach, "memberships", organisation_id=organisation)
    assert membership["annual_dues_amount"] == "15000.00"
    assert outreach.outbox()[-1][1]["annual_dues_amount"] == "15000.00"


def test_an_office_report_is_reviewed_returned_with_a_reason_resubmitted_and_accepted(outreach, office):
    report = example(outreach, "office-reports", office_id=office)
    assert (report["status"], report["allowed_actions"]) == ("submitted", ["accept", "return"])
    path = f"/api/v1/office-reports/{report['id']}"
    assert_problem(outreach.call("POST", f"{path}/return", {}, roles="outreach"), 422, "reason")
    returned = outreach.call("POST", f"{path}/return", {"reason": "Add the fair's figures"}, roles="outreach")
    assert (returned.json["status"], returned.json["status_reason"]) == ("returned", "Add the fair's figures")
    assert outreach.call("POST", f"{path}/resubmit", None, roles="outreach").json["status"] == "submitted"
    accepted = outreach.call("POST", f"{path}/accept", {}, roles="outreach")
    assert accepted.json["status"] == "accepted"
    assert assert_problem(outreach.call("POST", f"{path}/return", {"reason": "x"}, roles="outreach"),
                          409)["allowed_actions"] == []
    assert outreach.outbox_types()[-3:] == ["chancery.outreach.office-report.returned.v1",
                                            "chancery.outreach.office-report.submitted.v1",
                                            "chancery.outreach.office-report.accepted.v1"]
    listed = outreach.call("GET", f"/api/v1/office-reports?office_id={office}&status=accepted").json
    assert listed["total"] == 1


def test_a_report_ending_before_its_period_starts_is_refused_and_nothing_is_written(outreach, office):
    before = outreach.writes()
    response = outreach.call("POST", "/api/v1/office-reports", {**EXAMPLES["office-reports"], "office_id": office,
                                                                "period_until": "2026-12-31"}, roles="outreach")
    assert_problem(response, 422, "period_until")
    assert outreach.count(OfficeReport) == 0 and outreach.writes() == before


def test_an_export_event_keeps_each_enterprises_outcome(outreach, enterprise):
    event = example(outreach, "export-events", participants=[{"enterprise_id": enterprise, "deals_count": 2,
                                                              "deals_value_amount": "1200000.00",
                                                              "deals_value_currency": "EUR"}])
    assert event["participants"][0]["deals_value_amount"] == "1200000.00"
    bad = outreach.call("POST", "/api/v1/export-events", {**EXAMPLES["export-events"], "participants": [
        {"enterprise_id": enterprise, "deals_value_amount": "5.00"}]}, roles="outreach")
    assert_problem(bad, 422, "participants.0.deals_value_currency")


def test_a_required_field_cannot_be_cleared(outreach):
    mission = example(outreach, "missions")
    assert_problem(outreach.call("PATCH", f"/api/v1/missions/{mission['id']}", {"city": None}, roles="outreach"),
                   422, "city")


def test_a_society_named_in_cyrillic_is_found_whatever_the_case_of_the_search(outreach):
    outreach.create("/api/v1/societies", {"kind": "friendship_society", "name": "Дружество «Приятели на Лион»"})
    outreach.create("/api/v1/societies", {"kind": "ngo", "name": "Friends of Lyon"})
    for text in ("ПРИЯТЕЛИ", "приятели"):
        found = outreach.call("GET", f"/api/v1/societies?q={text}", roles="mayor-office").json["items"]
        assert [society["name"] for society in found] == ["Дружество «Приятели на Лион»"], text
