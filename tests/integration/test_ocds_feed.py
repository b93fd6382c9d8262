"""The public OCDS feed on the real contracts process (gunicorn), on SQLite and on PostgreSQL: anyone reads the
released data without a token, page by page, while the rest of the API still needs one; a release never changes;
a sealed bid is nowhere in it; the feed is rate-limited per client address like the rest (decision 0038)."""

import json
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from services.contracts.tests.ocds_1_1_5 import errors
from tests.support.processes import Suite, http

pytestmark = pytest.mark.integration
LIMIT = 30  # requests per minute per client: the last test spends them
SEALED = "173219.47"
WRITERS = 4  # changes to one process sent at once


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def suite(request, tmp_path_factory):
    with Suite(("contracts",), tmp_path_factory.mktemp(f"ocds-{request.param}"), database=request.param,
               extra_env={"CHANCERY_RATE_LIMIT": f"{LIMIT}/minute", "CHANCERY_WEB_WORKERS": "1"}) as suite:
        yield suite


def staff(suite, method, path, body=None, status=200):
    answer = suite.call(method, "contracts", path, body, roles="procurement", sub="pavel")
    assert answer.status == status, answer.body
    return answer.json


def anyone(suite, path_or_url: str):
    """A request without a token, as anyone on the internet sends it."""
    return http("GET", path_or_url if path_or_url.startswith("http") else suite.url("contracts", path_or_url))


@pytest.fixture(scope="module")
def tender(suite):
    """A published tender with a sealed bid: its deadline is a day away."""
    line = staff(suite, "POST", "/api/v1/plan-lines", {
        "title": "Forum interpretation", "budget": {"amount": "90000.00", "currency": "EUR"}, "cpv_code": "79540000-1",
        "procurement_method": "open", "planned_tender_on": "2027-02-01", "planned_delivery_by": "2027-06-15",
        "programme": "International Forum of Twin Cities 2027"}, status=201)
    staff(suite, "POST", f"/api/v1/plan-lines/{line['id']}/approve")
    now = datetime.now(UTC)
    tender = staff(suite, "POST", "/api/v1/tenders", {
        "plan_line_id": line["id"], "title": "Interpretation at the forum", "main_procurement_category": "services",
        "value": {"amount": "90000.00", "currency": "EUR"}, "minimum_step": None,
        "enquiry_ends_at": (now + timedelta(hours=12)).isoformat(),
        "submission_deadline": (now + timedelta(days=1)).isoformat()}, status=201)
    staff(suite, "POST", f"/api/v1/tenders/{tender['id']}/publish")
    company = staff(suite, "POST", "/api/v1/suppliers", {"legal_name": "Dolmetsch GmbH", "country": "DE",
                                                        "identifier": {"scheme": "DE-CR", "id": "HRB 7731"}},
                    status=201)
    staff(suite, "POST", f"/api/v1/tenders/{tender['id']}/bids",
          {"supplier_id": company["id"], "value": {"amount": SEALED, "currency": "EUR"}}, status=201)
    return {**tender, "supplier_id": company["id"]}


def test_anyone_reads_the_released_process_without_a_token_and_no_sealed_bid_is_in_it(suite, tender):
    releases = anyone(suite, "/api/v1/ocds/releases")
    records = anyone(suite, "/api/v1/ocds/records")
    assert (releases.status, records.status) == (200, 200)
    assert errors("release-package-schema.json", releases.json) == []
    assert errors("record-package-schema.json", records.json) == []
    ocid = f"ocds-chncry-{tender['id']}"
    assert [r["tag"] for r in releases.json["releases"] if r["ocid"] == ocid] == [["planning"], ["tender"]]
    [record] = [r for r in records.json["records"] if r["ocid"] == ocid]
    assert record["compiledRelease"]["tender"]["title"] == "Interpretation at the forum"
    for answer in (releases, records):
        assert SEALED not in json.dumps(answer.body) and tender["supplier_id"] not in json.dumps(answer.body)


def test_a_release_answers_the_same_content_after_the_process_changed(suite, tender):
    ocid = f"ocds-chncry-{tender['id']}"
    link = [r for r in anyone(suite, "/api/v1/ocds/records").json["records"] if r["ocid"] == ocid][0]["releases"][1]
    before = anyone(suite, urlsplit(link["url"]).path)
    staff(suite, "POST", f"/api/v1/tenders/{tender['id']}/documents", {
        "document_type": "tenderNotice", "title": "Notice", "url": "https://docs.city.example/notice.pdf",
        "language": "en"}, status=201)
    after = anyone(suite, urlsplit(link["url"]).path)
    assert before.status == after.status == 200 and after.json["releases"] == before.json["releases"]
    assert after.json["publishedDate"] == before.json["publishedDate"]
    newest = [r for r in anyone(suite, "/api/v1/ocds/releases").json["releases"] if r["ocid"] == ocid][-1]
    assert newest["tag"] == ["tenderUpdate"] and newest["tender"]["documents"][0]["title"] == "Notice"


def test_the_feed_pages_by_its_next_link_and_filters_by_since(suite, tender):
    seen, url = [], "/api/v1/ocds/releases?limit=1"
    while url:
        page = anyone(suite, url)
        assert page.status == 200 and len(page.json["releases"]) == 1, page.body
        seen.append(page.json["releases"][0]["id"])
        url = page.json.get("links", {}).get("next")
    everything = anyone(suite, "/api/v1/ocds/releases").json["releases"]
    assert seen == [release["id"] for release in everything] and len(seen) >= 3
    future = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert anyone(suite, f"/api/v1/ocds/releases?since={future}").json["releases"] == []


def at_once(requests):
    """Send the requests from threads released together; each opens its own connection."""
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def send(index, request):
        barrier.wait()
        answers[index] = request()

    threads = [threading.Thread(target=send, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_changes_to_one_process_committed_at_once_are_all_released_one_after_another(suite, tender):
    token = suite.token("procurement", "pavel")
    path = suite.url("contracts", f"/api/v1/tenders/{tender['id']}/documents")
    answers = at_once([lambda number=number: http("POST", path, {
        "document_type": "clarifications", "title": f"Clarification {number}",
        "url": f"https://docs.city.example/clarification-{number}.pdf", "language": "en"}, token=token)
        for number in range(WRITERS)])
    assert [answer.status for answer in answers] == [201] * WRITERS, [answer.body for answer in answers]
    ocid = f"ocds-chncry-{tender['id']}"
    releases = [r for r in anyone(suite, "/api/v1/ocds/releases").json["releases"] if r["ocid"] == ocid]
    assert [r["id"] for r in releases] == [f"{ocid}-{n}" for n in range(1, len(releases) + 1)]
    assert len(releases[-1]["tender"]["documents"]) == len(releases[-1 - WRITERS]["tender"]["documents"]) + WRITERS
    titles = {document["title"] for document in releases[-1]["tender"]["documents"]}
    assert {f"Clarification {number}" for number in range(WRITERS)} <= titles


def test_everything_else_still_needs_a_token(suite, tender):
    for path in (f"/api/v1/tenders/{tender['id']}", f"/api/v1/tenders/{tender['id']}/ocds/releases",
                 f"/api/v1/tenders/{tender['id']}/bids", "/api/v1/suppliers"):
        answer = anyone(suite, path)
        assert answer.status == 401 and answer.headers["content-type"] == "application/problem+json", path


def test_an_anonymous_client_over_its_rate_gets_429_with_retry_after_and_staff_are_still_served(suite, tender):
    answers = [anyone(suite, "/api/v1/ocds/releases?limit=1") for _ in range(LIMIT + 1)]
    refused = answers[-1]
    assert refused.status == 429 and refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    staff(suite, "GET", "/api/v1/tenders")
