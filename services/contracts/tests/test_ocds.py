"""The OCDS 1.1.5 export: a release package per stage and a record package with the compiled release, each
validated with jsonschema's Draft 4 validator (format checks on) against the official 1.1.5 release-package and
record-package schemas kept in `ocds_1_1_5/` (decision 0037)."""

import pytest

from services.contracts.tests.helpers import (
    TENDER,
    approved_plan_line,
    created,
    post,
    published_tender,
    supplier,
)
from services.contracts.tests.ocds_1_1_5 import SHA256, digest, errors, schemas
from services.contracts.tests.test_auctions import bid, ready_auction
from services.contracts.tests.test_awards import DEADLINE, open_tender_with_bids
from services.contracts.tests.test_contracts import CONTRACT, signed_contract

OFFICIAL = "https://standard.open-contracting.org/schema/1__1__5/"


def exports(contracts, tender_id) -> tuple[dict, dict]:
    """The release package and the record package, after asserting both are valid OCDS 1.1.5."""
    releases = contracts.call("GET", f"/api/v1/tenders/{tender_id}/ocds/releases").json
    record = contracts.call("GET", f"/api/v1/tenders/{tender_id}/ocds/record").json
    assert errors("release-package-schema.json", releases) == []
    assert errors("record-package-schema.json", record) == []
    return releases, record


def implemented(contracts, contract) -> None:
    """Milestones (one met), an amendment and two payments: what the contract and implementation stages carry."""
    path = f"/api/v1/contracts/{contract['id']}"
    delivery = created(contracts, f"{path}/milestones", {"title": "Venue ready", "type": "delivery",
                                                        "due_on": "2027-05-20"}).json
    created(contracts, f"{path}/milestones", {"title": "Final instalment", "type": "payment", "due_on": "2027-07-01",
                                              "value": {"amount": "50000.00", "currency": "EUR"}})
    post(contracts, f"{path}/milestones/{delivery['id']}/meet", {"on": "2027-05-19"})
    created(contracts, f"{path}/amendments", {"rationale": "The forum was extended by a day",
                                              "value": {"amount": "178000.00", "currency": "EUR"},
                                              "period_end": "2027-07-15"})
    for amount, paid_on in (("85500.10", "2027-04-01"), ("42000.00", "2027-06-01")):
        created(contracts, f"{path}/payments", {"value": {"amount": amount, "currency": "EUR"}, "paid_on": paid_on,
                                                "reference": f"PO-{paid_on}"})


def contracted_by_method(contracts, clock, method) -> dict:
    """A tender of the given method, with a document and an answered question, two bids, the lower awarded, the
    contract signed by both and implemented."""
    line = approved_plan_line(contracts, procurement_method=method)
    tender = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"], "minimum_step": None,
                                                    "description": f"Procured by the {method} method"}).json
    post(contracts, f"/api/v1/tenders/{tender['id']}/publish")
    created(contracts, f"/api/v1/tenders/{tender['id']}/documents", {
        "document_type": "technicalSpecifications", "title": "Technical specification",
        "url": "https://docs.city.example/tenders/forum-2027/spec.pdf", "language": "en"})
    question = created(contracts, f"/api/v1/tenders/{tender['id']}/enquiries",
                       {"question": "May interpreters work remotely?"}).json
    post(contracts, f"/api/v1/tenders/{tender['id']}/enquiries/{question['id']}/answer",
         {"answer": "No: interpreters must be present at the venue."})
    for index, price in enumerate(("176000.00", "171000.00")):
        company = supplier(contracts, identifier=f"HRB {tender['id'][:8]}-{index}")
        created(contracts, f"/api/v1/tenders/{tender['id']}/bids",
                {"supplier_id": company["id"], "value": {"amount": price, "currency": "EUR"}})
    clock.at = DEADLINE
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"standstill_days": 0}).json
    post(contracts, f"/api/v1/awards/{award['id']}/activate")
    contract = created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]}).json
    for party in ("buyer", "supplier"):
        post(contracts, f"/api/v1/contracts/{contract['id']}/sign", {"party": party, "signed_on": "2027-03-10"})
    implemented(contracts, contract)
    return contract


def test_the_schema_files_are_the_official_1_1_5_ones_as_pinned():
    assert {name: digest(name) for name in SHA256} == SHA256
    assert {schema["id"] for schema in schemas().values()} == {
        f"{OFFICIAL}{name}" for name in SHA256}
    assert schemas()["release-schema.json"]["properties"]["initiationType"]["enum"] == ["tender"]


def test_the_openapi_examples_of_both_packages_are_valid_ocds(contracts):
    operations = contracts.client.get("/openapi.json").json["paths"]
    for path, schema in (("releases", "release-package-schema.json"), ("record", "record-package-schema.json")):
        answer = operations[f"/api/v1/tenders/{{tender_id}}/ocds/{path}"]["get"]["responses"]["200"]
        assert errors(schema, answer["content"]["application/json"]["example"]) == []


def test_the_validator_checks_formats_and_codelists_so_an_invalid_package_fails(contracts, clock):
    contract = signed_contract(contracts, clock)
    releases, _ = exports(contracts, contract["tender_id"])
    releases["publishedDate"] = "20 February 2027"
    releases["releases"][1]["tender"]["status"] = "open"
    releases["releases"][1]["tender"]["documents"] = [{"id": "spec", "url": "not a uri"}]
    assert sorted(errors("release-package-schema.json", releases)) == [
        "/publishedDate: '20 February 2027' is not a 'date-time'",
        "/releases/1/tender/documents/0/url: 'not a uri' is not a 'uri'",
        "/releases/1/tender/status: 'open' is not one of ['planning', 'planned', 'active', 'cancelled', "
        "'unsuccessful', 'complete', 'withdrawn', None]"]


@pytest.mark.parametrize("method", ["open", "selective", "limited", "direct", "request_for_quotations"])
def test_every_release_and_the_record_of_a_contracted_and_paid_process_are_valid_ocds(contracts, clock, method):
    contract = contracted_by_method(contracts, clock, method)
    releases, record = exports(contracts, contract["tender_id"])
    assert [release["tag"] for release in releases["releases"]] == [
        ["planning"], ["tender"], ["award"], ["contract", "contractAmendment", "implementation"]]
    tender = releases["releases"][1]["tender"]
    assert (tender["procurementMethodDetails"], tender["hasEnquiries"]) == (method, True)
    assert tender["items"][0]["relatedLot"] == tender["lots"][0]["id"]
    assert releases["extensions"] == record["extensions"] and "ocds_lots_extension" in releases["extensions"][0]
    [compiled] = [r["compiledRelease"] for r in record["records"]]
    [exported] = compiled["contracts"]
    assert exported["value"] == {"amount": 178000, "currency": "EUR"}
    assert exported["amendments"][0]["rationale"] == "The forum was extended by a day"
    assert [t["value"]["amount"] for t in exported["implementation"]["transactions"]] == [85500.1, 42000]
    assert [m["status"] for m in exported["milestones"]] == ["met", "scheduled"]


def test_a_reverse_auction_process_exports_valid_ocds_with_the_auction_price(contracts, clock):
    tender, companies, auction = ready_auction(contracts, clock)
    bid(contracts, auction, companies[0], "172000.00")
    clock.advance(seconds=900)
    post(contracts, f"/api/v1/auctions/{auction['id']}/finish")
    award = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {"standstill_days": 0}).json
    post(contracts, f"/api/v1/awards/{award['id']}/activate")
    created(contracts, "/api/v1/contracts", {**CONTRACT, "award_id": award["id"]})
    releases, record = exports(contracts, tender["id"])
    assert releases["releases"][1]["tender"]["submissionMethod"] == ["electronicAuction"]
    assert record["records"][0]["compiledRelease"]["awards"][0]["value"] == {"amount": 172000, "currency": "EUR"}


def test_a_terminated_contract_exports_valid_ocds_tagged_as_a_termination(contracts, clock):
    contract = signed_contract(contracts, clock)
    post(contracts, f"/api/v1/contracts/{contract['id']}/terminate", {"reason": "The forum was cancelled"})
    releases, _ = exports(contracts, contract["tender_id"])
    assert releases["releases"][-1]["tag"] == ["contract", "contractTermination"]
    assert releases["releases"][-1]["contracts"][0]["status"] == "terminated"


def test_cancelled_and_unsuccessful_awards_of_a_failed_tender_export_valid_ocds(contracts, clock):
    tender, [first] = open_tender_with_bids(contracts, clock, ["150000.00"])
    clock.at = DEADLINE
    cancelled = created(contracts, f"/api/v1/tenders/{tender['id']}/awards", {}).json
    post(contracts, f"/api/v1/awards/{cancelled['id']}/cancel", {"reason": "Complaint upheld"})
    created(contracts, f"/api/v1/tenders/{tender['id']}/awards",
            {"disqualified": [{"bid_id": first["id"], "reason": "Late bank guarantee"}]})
    post(contracts, f"/api/v1/tenders/{tender['id']}/fail", {"reason": "No valid bid"})
    _, record = exports(contracts, tender["id"])
    compiled = record["records"][0]["compiledRelease"]
    assert [award["status"] for award in compiled["awards"]] == ["cancelled", "unsuccessful"]
    assert compiled["tender"]["status"] == "unsuccessful"


def test_the_record_package_links_every_release_and_compiles_the_process(contracts, clock):
    contract = signed_contract(contracts, clock)
    tender_id = contract["tender_id"]
    releases, record_package = exports(contracts, tender_id)
    [record] = record_package["records"]
    compiled = record["compiledRelease"]
    assert record["ocid"] == compiled["ocid"] == f"ocds-chncry-{tender_id}"
    assert [link["url"].rsplit("#", 1)[1] for link in record["releases"]] == [r["id"] for r in releases["releases"]]
    assert compiled["tag"] == ["compiled"] and compiled["tender"]["procurementMethod"] == "open"
    assert compiled["awards"][0]["status"] == "active" and compiled["contracts"][0]["status"] == "active"
    assert {party["id"]: party["roles"] for party in compiled["parties"]}[contract["supplier_id"]] == [
        "tenderer", "supplier"]


def test_before_the_deadline_the_export_names_no_tenderer(contracts):
    tender = published_tender(contracts)
    company = supplier(contracts)
    post(contracts, f"/api/v1/tenders/{tender['id']}/bids",
         {"supplier_id": company["id"], "value": {"amount": "142857.39", "currency": "EUR"}})
    exports(contracts, tender["id"])
    package = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/ocds/releases")
    assert company["id"] not in package.get_data(as_text=True) and "142857" not in package.get_data(as_text=True)
    tender_release = package.json["releases"][1]["tender"]
    assert "tenderers" not in tender_release
    assert (tender_release["procurementMethod"], tender_release["submissionMethod"]) == ("open",
                                                                                         ["electronicAuction"])
