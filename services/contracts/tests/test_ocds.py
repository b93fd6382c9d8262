"""The OCDS 1.1.5 export: a release package per stage and a record package with the compiled release.

The official 1.1.5 schema files could not be brought into this workplace (docs/decisions/0037), so these
tests check the export against the package schemas' required fields and every closed codelist it uses,
written out below from the 1.1.5 documentation.
"""

from jsonschema import Draft202012Validator

from services.contracts.tests.helpers import created, post, published_tender, supplier
from services.contracts.tests.test_contracts import signed_contract

NULLABLE = {"type": ["string", "null"]}
CLOSED = {  # closed codelists of OCDS 1.1.5
    "tenderStatus": ["planning", "planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"],
    "method": ["open", "selective", "limited", "direct"],
    "procurementCategory": ["goods", "services", "works"],
    "awardStatus": ["pending", "active", "cancelled", "unsuccessful"],
    "contractStatus": ["pending", "active", "cancelled", "terminated"],
    "milestoneStatus": ["scheduled", "met", "notMet", "partiallyMet"],
}
VALUE = {"type": "object", "properties": {"amount": {"type": "number"}, "currency": {"type": "string",
                                                                                      "pattern": "^[A-Z]{3}$"}}}
PERIOD = {"type": "object", "properties": {"startDate": {"format": "date-time"}, "endDate": {"format": "date-time"}}}
RELEASE = {
    "type": "object",
    "required": ["ocid", "id", "date", "tag", "initiationType"],
    "properties": {
        "ocid": {"type": "string", "pattern": "^ocds-chncry-"}, "id": {"type": "string", "minLength": 1},
        "date": {"type": "string", "format": "date-time"},
        "tag": {"type": "array", "minItems": 1, "items": {"enum": ["planning", "planningUpdate", "tender",
                                                                   "tenderAmendment", "tenderUpdate",
                                                                   "tenderCancellation", "award", "awardUpdate",
                                                                   "awardCancellation", "contract",
                                                                   "contractUpdate", "contractAmendment",
                                                                   "implementation", "implementationUpdate",
                                                                   "contractTermination", "compiled"]}},
        "initiationType": {"const": "tender"},
        "parties": {"type": "array", "items": {"type": "object", "required": ["id"]}},
        "planning": {"type": "object", "properties": {"budget": {"properties": {"amount": VALUE}}}},
        "tender": {"type": "object", "required": ["id"], "properties": {
            "status": {"enum": CLOSED["tenderStatus"]}, "procurementMethod": {"enum": CLOSED["method"]},
            "mainProcurementCategory": {"enum": CLOSED["procurementCategory"]}, "value": VALUE,
            "tenderPeriod": PERIOD, "enquiryPeriod": PERIOD,
            "documents": {"type": "array", "items": {"type": "object", "required": ["id"]}}}},
        "awards": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {
            "status": {"enum": CLOSED["awardStatus"]}, "value": VALUE, "date": {"format": "date-time"}}}},
        "contracts": {"type": "array", "items": {"type": "object", "required": ["id", "awardID"], "properties": {
            "status": {"enum": CLOSED["contractStatus"]}, "value": VALUE, "period": PERIOD,
            "milestones": {"type": "array", "items": {"required": ["id"], "properties": {
                "status": {"enum": CLOSED["milestoneStatus"]}, "type": {"enum": [
                    "preProcurement", "approval", "engagement", "assessment", "delivery", "reporting",
                    "financing"]}}}},
            "implementation": {"properties": {"transactions": {"type": "array", "items": {
                "required": ["id"], "properties": {"value": VALUE}}}}}}}},
    },
}
PACKAGE = {"required": ["uri", "publisher", "publishedDate", "version"],
           "properties": {"version": {"pattern": r"^(\d+\.)(\d+)$"}, "publisher": {"required": ["name"]},
                          "publishedDate": {"format": "date-time"}, "uri": {"type": "string"}}}
RELEASE_PACKAGE = {**PACKAGE, "required": [*PACKAGE["required"], "releases"],
                   "properties": {**PACKAGE["properties"], "releases": {"type": "array", "items": RELEASE}}}
RECORD_PACKAGE = {**PACKAGE, "required": [*PACKAGE["required"], "records"],
                  "properties": {**PACKAGE["properties"], "records": {"type": "array", "minItems": 1, "items": {
                      "required": ["ocid", "releases"], "properties": {
                          "releases": {"type": "array", "items": {"required": ["url", "date", "tag"]}},
                          "compiledRelease": RELEASE}}}}}


def errors(schema, document) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def paid_process(contracts, clock):
    contract = signed_contract(contracts, clock)
    created(contracts, f"/api/v1/contracts/{contract['id']}/milestones",
            {"title": "Venue ready", "type": "delivery", "due_on": "2027-05-20"})
    created(contracts, f"/api/v1/contracts/{contract['id']}/payments",
            {"value": {"amount": "85500.10", "currency": "EUR"}, "paid_on": "2027-04-01", "reference": "PO-1"})
    return contract


def test_the_release_package_has_one_release_per_stage_and_follows_the_1_1_5_package_rules(contracts, clock):
    contract = paid_process(contracts, clock)
    package = contracts.call("GET", f"/api/v1/tenders/{contract['tender_id']}/ocds/releases").json
    assert errors(RELEASE_PACKAGE, package) == []
    assert [release["tag"] for release in package["releases"]] == [["planning"], ["tender"], ["award"],
                                                                   ["contract", "implementation"]]
    assert len({release["id"] for release in package["releases"]}) == 4
    [transaction] = package["releases"][-1]["contracts"][0]["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 85500.1, "currency": "EUR"}


def test_the_record_package_links_every_release_and_compiles_the_process(contracts, clock):
    contract = paid_process(contracts, clock)
    tender_id = contract["tender_id"]
    record_package = contracts.call("GET", f"/api/v1/tenders/{tender_id}/ocds/record").json
    assert errors(RECORD_PACKAGE, record_package) == []
    [record] = record_package["records"]
    compiled = record["compiledRelease"]
    assert record["ocid"] == compiled["ocid"] == f"ocds-chncry-{tender_id}"
    assert len(record["releases"]) == 4 and compiled["tag"] == ["compiled"]
    assert compiled["tender"]["procurementMethod"] == "open"
    assert compiled["awards"][0]["status"] == "active" and compiled["contracts"][0]["status"] == "active"
    assert {party["id"]: party["roles"] for party in compiled["parties"]}[contract["supplier_id"]] == [
        "tenderer", "supplier"]


def test_before_the_deadline_the_export_names_no_tenderer(contracts):
    tender = published_tender(contracts)
    company = supplier(contracts)
    post(contracts, f"/api/v1/tenders/{tender['id']}/bids",
         {"supplier_id": company["id"], "value": {"amount": "142857.39", "currency": "EUR"}})
    package = contracts.call("GET", f"/api/v1/tenders/{tender['id']}/ocds/releases")
    assert errors(RELEASE_PACKAGE, package.json) == []
    assert company["id"] not in package.get_data(as_text=True) and "142857" not in package.get_data(as_text=True)
    tender_release = package.json["releases"][1]["tender"]
    assert "tenderers" not in tender_release
    assert (tender_release["procurementMethod"], tender_release["submissionMethod"]) == ("open",
                                                                                         ["electronicAuction"])
