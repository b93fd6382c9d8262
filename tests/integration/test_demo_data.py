"""`make seed` on a running suite: the demo data goes in through the APIs, and loading it again changes nothing."""

import subprocess

import pytest

from services.contracts.tests.ocds_1_1_5 import errors as ocds_errors
from shared.config import SERVICE_PORTS
from shared.seed import seed_modules
from tests.support.processes import BIN, REPO, Suite, eventually, http

pytestmark = pytest.mark.integration
SERVICES = tuple(SERVICE_PORTS)


def seed(suite: Suite) -> subprocess.CompletedProcess:
    env = suite.env("visits")
    env.update({f"{service.upper()}_PORT": str(port) for service, port in suite.ports.items()})
    return subprocess.run([str(BIN / "chancery"), "seed"], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=240)


def audit_totals(suite: Suite) -> dict[str, int]:
    totals = {}
    for service in SERVICES:
        answer = http("GET", suite.url(service, "/api/v1/audit-records?page_size=1"),
                      token=suite.token("auditor", "demo-check"))
        assert answer.status == 200, answer.body
        totals[service] = answer.json["total"]
    return totals


def writes_recorded(suite: Suite) -> dict[str, int]:
    """How many audit records each service holds once the events the seed caused are all consumed: every
    write leaves one (a consumer's too), a replayed one none."""
    previous: list[dict[str, int]] = [{}]

    def settled():
        current = audit_totals(suite)
        steady, previous[0] = current == previous[0], current
        return steady and current

    return eventually(settled, timeout=60, interval=2, message="the seed's events consumed")


def assert_contracts_demo(suite: Suite) -> None:
    """The forum's procurement ends in paid contracts and exports valid OCDS; the twinning agreements are signed
    with their plans, Lyon's after the foreign ministry's clearance, and outreach records Lyon's twinning; the
    investor's commitment is open."""
    token = suite.token("procurement", "demo-check")

    def get(path):
        answer = http("GET", suite.url("contracts", path), token=token)
        assert answer.status == 200, answer.body
        return answer.json

    [tender] = get("/api/v1/tenders?status=complete")["items"]
    assert "International Forum of Twin Cities 2027" in tender["title"]
    contracts = get(f"/api/v1/contracts?tender_id={tender['id']}")["items"]
    assert len(contracts) == 2
    assert all(get(f"/api/v1/contracts/{c['id']}")["implementation"]["remaining"]["amount"] == "0.00"
               for c in contracts)
    assert ocds_errors("release-package-schema.json", get(f"/api/v1/tenders/{tender['id']}/ocds/releases")) == []
    assert ocds_errors("record-package-schema.json", get(f"/api/v1/tenders/{tender['id']}/ocds/record")) == []
    agreements = {agreement["country"]: agreement for agreement in get("/api/v1/agreements")["items"]}
    assert {country: agreement["status"] for country, agreement in agreements.items()} == {"BG": "signed",
                                                                                           "FR": "signed"}
    assert len(agreements["BG"]["activities"]) == 4 and agreements["BG"]["cleared_on"] is None
    assert agreements["FR"]["approved_at"] and agreements["FR"]["clearance_reference"] == "MFA 12-04/1187"
    lyon = agreements["FR"]["partner_id"]
    relationships = f"/api/v1/partners/{lyon}/relationships"
    eventually(lambda: any(item["agreement_id"] == agreements["FR"]["id"] and item["ended_on"] is None
                           for item in suite.call("GET", "outreach", relationships, roles="outreach").json["items"]),
               message="Lyon's twinning recorded in outreach")
    [commitment] = get("/api/v1/commitments")["items"]
    assert commitment["counterparty_kind"] == "investor" and commitment["status"] == "open"


def assert_officials_demo(suite: Suite) -> None:
    """The mayor's time in one place: the visit's programme in visits and his trip from trips' events."""
    token = suite.token("mayor-office", "demo-check")
    [official] = http("GET", suite.url("visits", "/api/v1/officials"), token=token).json["items"]

    def sources():
        answer = http("GET", suite.url("visits", f"/api/v1/officials/{official['id']}/schedule"), token=token)
        return {item["source"] for item in answer.json["items"]} == {"visits", "trips"}

    eventually(sources, timeout=30, message="the mayor's visit and trip in one schedule")


def assert_outcomes_demo(suite: Suite) -> None:
    """The Thessaloniki visit's report: its three follow-ups are plan items linking back to the report; the Lyon
    meeting's follow-up one too (decision 0155)."""
    def items(source):
        answer = suite.call("GET", "outreach", f"/api/v1/plan-items?source={source}", roles="mayor-office")
        return answer.json["items"]

    from_report = eventually(lambda: len(items("visit_report")) == 3 and items("visit_report"), timeout=30,
                             message="the visit report's follow-ups in the plan")
    [href] = {item["origin"]["href"] for item in from_report}
    report = suite.call("GET", "visits", href, roles="mayor-office").json
    assert report["status"] == "submitted" and {item["responsible_body"] for item in from_report} == {
        "Department of Culture", "Department of Education", "Deputy Mayor for Culture"}
    eventually(lambda: len(items("meeting_follow_up")) == 1, timeout=30, message="the meeting's follow-up")


def assert_office_demo(suite: Suite) -> None:
    """The plan by department: a head reads and carries only its department's items, the mayor's office lists one
    department's items from more than one source; and a decision waits for the mayor's office (decisions 0136,
    0125)."""
    mine = suite.call("GET", "outreach", "/api/v1/plan-items", roles="department-head",
                      department="Department of Tourism").json["items"]
    assert [(item["responsible_body"], item["status"], item["progress"]) for item in mine] == [
        ("Department of Tourism", "in_progress", 40)]
    culture = suite.call("GET", "outreach", "/api/v1/plan-items?department=department%20of%20culture",
                         roles="mayor-office").json["items"]
    assert {item["responsible_body"] for item in culture} == {"Department of Culture"}
    assert {item["source"] for item in culture} >= {"manual", "visit_report"}

    def waiting():
        answer = suite.call("GET", "notifications", "/api/v1/waiting-decisions/figures", roles="mayor-office")
        return answer.json["yours"] and {figure["role"]: figure["waiting"] for figure in answer.json["roles"]}

    assert eventually(waiting, timeout=30, message="a decision waiting")["mayor-office"] >= 1


@pytest.mark.timeout(420)
def test_the_demo_data_loads_through_the_running_suites_apis_and_loading_it_again_changes_nothing(tmp_path):
    seeded = [name for name, _ in seed_modules()]
    assert {"outreach", "visits", "trips", "contracts"} <= set(seeded), "partners, a visit, a trip, procurement"
    with Suite(SERVICES, tmp_path) as suite:
        first = seed(suite)
        assert first.returncode == 0, first.stderr
        assert first.stdout.strip() == f"seeded: {', '.join(seeded)}"
        after_first = writes_recorded(suite)
        assert all(after_first[name] > 0 for name in seeded), after_first
        assert_contracts_demo(suite)
        assert_officials_demo(suite)
        assert_outcomes_demo(suite)
        assert_office_demo(suite)

        second = seed(suite)
        assert second.returncode == 0, second.stderr
        assert writes_recorded(suite) == after_first


def test_seeding_without_a_running_suite_says_so_in_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "CHANCERY_VAR_DIR": str(tmp_path), "VISITS_PORT": "1", "OUTREACH_PORT": "1"}
    answer = subprocess.run([str(BIN / "chancery"), "seed", "outreach"], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert answer.returncode == 1
    assert answer.stderr.count("\n") == 1
    assert "start the suite with `make run` first" in answer.stderr
