"""The OCDS 1.1.5 export: a release package per stage and a record package with the compiled release, each
validated with jsonschema's Draft 4 validator (format checks on) against the official 1.1.5 release-package and
record-package schemas kept in `ocds_1_1_5/` (decision 0037)."""

import threading
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from services.contracts.tasks import PERIODIC_TASKS
from services.contracts.tests.helpers import (
    TENDER,
    approved_plan_line,
    assert_problem,
    created,
    post,
    published_tender,
    supplier,
)
from services.contracts.tests.ocds_1_1_5 import SHA256, digest, errors, schemas
from services.contracts.tests.test_auctions import bid, ready_auction
from services.contracts.tests.test_awards import DEADLINE, open_tender_with_bids
from services.contracts.tests.test_contracts import CONTRACT, signed_contract
from shared.periodic import PeriodicRunner

OFFICIAL = "https://standard.open-contracting.org/schema/1__1__5/"


def exports(contracts, tender_id) -> tuple[dict, dict]:
    """The release package and the record package, after asserting both are valid OCDS 1.1.5."""
    releases = contracts.call("GET", f"/api/v1/tenders/{tender_id}/ocds/releases").json
    record = contracts.call("GET", f"/api/v1/tenders/{tender_id}/ocds/record").json
    assert errors("release-package-schema.json", releases) == []
    assert errors("record-package-schema.json", record) == []
    return releases, record


def latest(releases: dict, section: str) -> dict:
    """The last release of a package that carries `section` (planning, tender, awards, contracts)."""
    return [release for release in releases["releases"] if section in release][-1]


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
    tags = [release["tag"] for release in releases["releases"]]
    assert tags[:2] == [["planning"], ["tender"]] and ["award"] in tags and ["contract"] in tags
    assert tags[-1] == ["contractUpdate", "contractAmendment", "implementation"]
    ocid = releases["releases"][0]["ocid"]
    assert [release["id"] for release in releases["releases"]] == [f"{ocid}-{n}" for n in range(1, len(tags) + 1)]
    tender = latest(releases, "tender")["tender"]
    assert (tender["procurementMethodDetails"], tender["hasEnquiries"]) == (method, True)
    assert tender["items"][0]["relatedLot"] == tender["lots"][0]["id"]
    assert releases["extensions"] == record["extensions"] and "ocds_lots_extension" in releases["extensions"][0]
    [compiled] = [r["compiledRelease"] for r in record["records"]]
    [exported] = compiled["contracts"]
    assert exported["value"] == {"amount": 178000, "currency": "EUR"}
    assert exported["amendments"][0]["rationale"] == "The forum was extended by a day"
    assert [(t["id"], t["value"]["amount"]) for t in exported["implementation"]["transactions"]] == [
        ("PO-2027-04-01", 85500.1), ("PO-2027-06-01", 42000)]
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
    assert releases["releases"][-1]["tag"] == ["contractUpdate", "contractTermination"]
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
    assert [link["url"].rsplit("/", 1)[1] for link in record["releases"]] == [r["id"] for r in releases["releases"]]
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


def public(contracts, path: str, **query):
    """A call without a token, as anyone on the internet makes it."""
    return contracts.client.get(path, query_string=query)


def test_a_release_id_always_answers_the_same_content_after_the_process_changed(contracts, clock):
    tender = published_tender(contracts)
    releases, _ = exports(contracts, tender["id"])
    first_tender = latest(releases, "tender")
    url = f"/api/v1/ocds/releases/{first_tender['id']}"
    before = public(contracts, url)
    assert before.status_code == 200 and before.headers["Cache-Control"].endswith("immutable")
    created(contracts, f"/api/v1/tenders/{tender['id']}/documents", {
        "document_type": "technicalSpecifications", "title": "Technical specification",
        "url": "https://docs.city.example/tenders/forum-2027/spec.pdf", "language": "en"})
    clock.advance(hours=1)
    after = public(contracts, url)
    assert after.get_data() == before.get_data() and after.json["releases"] == [first_tender]
    releases, _ = exports(contracts, tender["id"])
    assert latest(releases, "tender")["tag"] == ["tenderUpdate"]
    assert latest(releases, "tender")["tender"]["documents"][0]["title"] == "Technical specification"
    assert first_tender["tender"]["documents"] == []


def test_a_change_that_changes_no_stage_releases_nothing_and_a_draft_is_never_released(contracts):
    line = approved_plan_line(contracts)
    draft = created(contracts, "/api/v1/tenders", {**TENDER, "plan_line_id": line["id"]}).json
    for kind in ("releases", "record"):
        refused = contracts.call("GET", f"/api/v1/tenders/{draft['id']}/ocds/{kind}")
        assert (refused.status_code, refused.json["type"]) == (409, "https://chancery.city/problems/not-released")
    assert public(contracts, "/api/v1/ocds/releases").json["releases"] == []
    post(contracts, f"/api/v1/tenders/{draft['id']}/publish")
    count = len(exports(contracts, draft["id"])[0]["releases"])
    post(contracts, f"/api/v1/tenders/{draft['id']}/bids", {"supplier_id": supplier(contracts)["id"],
                                                            "value": {"amount": "150000.00", "currency": "EUR"}})
    assert len(exports(contracts, draft["id"])[0]["releases"]) == count == 2


def test_the_compiled_release_merges_the_stored_releases_so_the_latest_of_each_stage_wins(contracts, clock):
    contract = contracted_by_method(contracts, clock, "open")
    releases, record = exports(contracts, contract["tender_id"])
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tender"] == latest(releases, "tender")["tender"]
    assert compiled["contracts"] == latest(releases, "contracts")["contracts"]
    assert compiled["date"] == releases["releases"][-1]["date"] and "parties" in compiled
    assert compiled["tag"] == ["compiled"] and compiled["id"] == f"{compiled['ocid']}-{compiled['date']}"


def test_the_lots_extension_is_applied_so_a_lot_without_an_id_fails_where_the_core_schema_passes(contracts):
    releases, _ = exports(contracts, published_tender(contracts)["id"])
    releases["releases"][1]["tender"]["lots"][0].pop("id")
    releases["releases"][1]["tender"]["items"][0]["relatedLot"] = 7
    assert errors("release-package-schema.json", releases, extended=False) == []
    assert sorted(errors("release-package-schema.json", releases)) == [
        "/releases/1/tender/items/0/relatedLot: 7 is not of type 'string', 'null'",
        "/releases/1/tender/lots/0: 'id' is a required property"]


def test_the_public_feed_pages_every_release_by_its_next_link_without_a_token(contracts, clock):
    tenders = [published_tender(contracts) for _ in range(3)]
    clock.advance(days=1)
    later = published_tender(contracts)
    seen, query = [], {"limit": "4"}
    while True:
        page = public(contracts, "/api/v1/ocds/releases", **query)
        assert page.status_code == 200 and errors("release-package-schema.json", page.json) == []
        seen += [release["id"] for release in page.json["releases"]]
        if "links" not in page.json:
            break
        assert page.headers["Link"] == f'<{page.json["links"]["next"]}>; rel="next"'
        query = dict(parse_qsl(urlsplit(page.json["links"]["next"]).query))
    assert len(seen) == len(set(seen)) == 8
    assert {release_id.rsplit("-", 1)[0] for release_id in seen} == {f"ocds-chncry-{t['id']}" for t in
                                                                      [*tenders, later]}
    since = public(contracts, "/api/v1/ocds/releases", since="2027-02-02T00:00:00Z").json["releases"]
    assert {release["ocid"] for release in since} == {f"ocds-chncry-{later['id']}"}


def test_the_public_record_feed_compiles_each_process_and_lists_the_last_changed_last(contracts, clock):
    first, second = published_tender(contracts), published_tender(contracts)
    clock.advance(hours=1)
    created(contracts, f"/api/v1/tenders/{first['id']}/documents", {
        "document_type": "tenderNotice", "title": "Notice", "url": "https://docs.city.example/notice.pdf",
        "language": "en"})
    page = public(contracts, "/api/v1/ocds/records", limit="1")
    assert errors("record-package-schema.json", page.json) == []
    assert [r["ocid"] for r in page.json["records"]] == [f"ocds-chncry-{second['id']}"]
    following = dict(parse_qsl(urlsplit(page.json["links"]["next"]).query))
    [record] = public(contracts, "/api/v1/ocds/records", **following).json["records"]
    assert record["ocid"] == f"ocds-chncry-{first['id']}" and len(record["releases"]) == 3
    assert record["compiledRelease"]["tender"]["documents"][0]["title"] == "Notice"


def test_the_public_feed_refuses_a_bad_cursor_naming_it_and_a_staff_route_still_needs_a_token(contracts):
    refused = public(contracts, "/api/v1/ocds/releases", after="-1")
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert "after" in refused.get_data(as_text=True)
    assert public(contracts, "/api/v1/ocds/releases/ocds-chncry-nothing-1").status_code == 404
    tender = published_tender(contracts)
    assert public(contracts, f"/api/v1/tenders/{tender['id']}/ocds/releases").status_code == 401
    assert public(contracts, "/api/v1/tenders").status_code == 401


def sweep_closed_tenders(contracts, clock, workers=1) -> None:
    """The worker's periodic task that releases closed tenders, run by `workers` workers at once."""
    runner = PeriodicRunner(contracts.app.extensions["chancery"], PERIODIC_TASKS)
    [task] = [task for task in PERIODIC_TASKS if task.name == "closed-tenders"]
    barrier = threading.Barrier(workers)

    def run() -> None:
        barrier.wait()
        runner.run_once(task, clock.at)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)


def test_the_sweep_releases_a_closed_tenders_tenderers_once_when_its_deadline_passes_with_two_workers(
        contracts, clock):
    tender, bids = open_tender_with_bids(contracts, clock, ["150000.00", "149000.00"])
    ocid = f"ocds-chncry-{tender['id']}"
    sweep_closed_tenders(contracts, clock)
    before = exports(contracts, tender["id"])[0]["releases"]
    assert "tenderers" not in latest({"releases": before}, "tender")["tender"]
    clock.at = DEADLINE + timedelta(seconds=30)
    sweep_closed_tenders(contracts, clock, workers=2)
    clock.advance(minutes=1)
    sweep_closed_tenders(contracts, clock)
    releases = exports(contracts, tender["id"])[0]["releases"]
    assert len(releases) == len(before) + 1, [release["tag"] for release in releases]
    disclosed = releases[-1]
    assert (disclosed["id"], disclosed["tag"], disclosed["date"]) == (f"{ocid}-{len(releases)}", ["tenderUpdate"],
                                                                      "2027-02-20T12:00:30Z")
    assert disclosed["tender"]["numberOfTenderers"] == 2
    assert {t["id"] for t in disclosed["tender"]["tenderers"]} == {bid["supplier_id"] for bid in bids}
    feed = public(contracts, "/api/v1/ocds/releases").json
    assert feed["releases"][-1] == disclosed and errors("release-package-schema.json", feed) == []


def test_a_payment_is_a_transaction_identified_by_its_payment_orders_number_used_once_on_the_contract(
        contracts, clock):
    contract = signed_contract(contracts, clock)
    path = f"/api/v1/contracts/{contract['id']}/payments"
    created(contracts, path, {"value": {"amount": "85500.10", "currency": "EUR"}, "paid_on": "2027-04-01",
                              "reference": "PO-2027-00412"})
    again = post(contracts, path, {"value": {"amount": "1000.00", "currency": "EUR"}, "paid_on": "2027-04-02",
                                   "reference": "PO-2027-00412"})
    assert_problem(again, 422, "reference")
    releases, record = exports(contracts, contract["tender_id"])
    [transaction] = record["records"][0]["compiledRelease"]["contracts"][0]["implementation"]["transactions"]
    assert transaction == {"id": "PO-2027-00412", "date": "2027-04-01T00:00:00Z",
                           "value": {"amount": 85500.1, "currency": "EUR"},
                           "payer": {"id": "buyer", "name": "Chancery"},
                           "payee": {"id": contract["supplier_id"], "name": transaction["payee"]["name"]}}
    assert latest(releases, "contracts")["tag"] == ["contractUpdate", "implementation"]
