"""schemathesis against every service's OpenAPI document on the real processes, with two department
identities as peers: every check it has, object-level authorization included, with no failure
(decision 0008 says which check is left out and why, and how the run is bounded)."""

import json
import os
import re
import subprocess

import pytest

from services.trips.api.proposal_schemas import ProposalIn
from services.trips.api.trip_schemas import TRIP_EXAMPLE
from shared.suite import SERVICES
from tests.support.openapi import example_of
from tests.support.processes import BIN, REPO

pytestmark = pytest.mark.integration
# Two members of two departments' staff, with every role a department's staff may hold and none that reads every
# department's records (decision 0080): each must never get what only the other may read.
DEPARTMENTS = {"staff-a": "Department A", "staff-b": "Department B"}
STAFF_ROLES = ["protocol", "procurement", "outreach", "department-head"]
# schemathesis' own `positive_data_acceptance` runs inside `positive_data_accepted_but_for_rules_no_schema_states`
# (schemathesis_hooks.py), which lets through only the refusals listed below.
EXCLUDED_CHECKS = ("positive_data_acceptance",)
HOOKS = "tests.security.schemathesis_hooks"
# Schema-valid requests refused by a rule no JSON Schema can state: (method, path (a compiled pattern for many),
# status, the fields the problem names, each a regular expression, and why no schema says it). Nothing else may
# refuse a schema-valid request.
UNSTATED_RULES = [
    ("POST", "/api/v1/calendar-links", 422, "feed", "the path must be one of this service's feeds of a record"),
    ("POST", "/api/v1/watches", 422, "record_type", "the caller's roles must hear about that kind of record"),
    ("POST", "/api/v1/webhooks", 422, "url", "the host must resolve to a public address or an allowed network"),
    ("POST", "/api/v1/agreements", 422, "valid_until", "after valid_from: JSON Schema compares no two fields"),
    ("POST", "/api/v1/functions", 422, "ends_at", "after starts_at: JSON Schema compares no two fields"),
    ("POST", "/api/v1/meetings", 422, "ends_at|official_id", "after starts_at: JSON Schema compares no two "
     "fields; the official must be in the register"),
    ("PATCH", "/api/v1/meetings/{meeting_id}", 422, "official_id", "the official must be in the register"),
    ("POST", "/api/v1/visits/{visit_id}/agenda-items", 422, "ends_at",
     "after starts_at: JSON Schema compares no two fields"),
    ("POST", "/api/v1/interpreters", 422, r"pairs", "two different languages: a back-reference in a lookahead, "
     "which ECMA allows but no generator honours"),
    ("POST", "/api/v1/compatriot-participants", 422, "programme_id", "the programme must exist"),
    ("POST", "/api/v1/materials", 422, "campaign_id", "the campaign must exist"),
    ("POST", "/api/v1/memberships", 422, "organisation_id", "the organisation must exist"),
    ("POST", "/api/v1/office-reports", 422, "office_id", "the office must exist"),
    ("POST", "/api/v1/office-staff", 422, "office_id", "the office must exist"),
    ("POST", "/api/v1/organisation-contacts", 422, "society_id", "the society must exist"),
    ("POST", "/api/v1/societies", 422, "partner_id", "the partner must exist"),
    ("POST", "/api/v1/surveys/{survey_id}/questions", 422, "code", "unique among the survey's questions"),
    ("POST", "/api/v1/contracts/{contract_id}/payments", 422, "reference",
     "a payment order's number is used once on its contract"),
    ("POST", "/api/v1/surveys/{survey_id}/results", 422, r"csv\.row\[\d+\]\..+",
     "each row's answers must fit the survey's questions"),
    ("POST", "/api/v1/invitations/{invitation_id}/assign", 422, "deadline",
     "not already passed: JSON Schema knows no today"),
    ("POST", re.compile(r"/api/v1/(plan-lines|tenders|tenders/\{tender_id\}/bids|auctions/\{auction_id\}/bids|"
                        r"contracts/\{contract_id\}/payments)"), 422, r"(value|budget)\.currency",
     "one of ISO 4217's codes: the schema states three capital letters, the standard's list is longer than a "
     "schema should carry"),
    ("POST", "/api/v1/materials/{material_id}/submit", 422, r"texts\.(en|ru|bg)",
     "a material goes to review only with its texts in every language: a rule on the stored record"),
    ("POST", re.compile(r"/api/v1/(subscriptions|webhooks)"), 422, "pattern",
     "the caller's roles must hear about that service's events (decision 0051)"),
    ("GET", re.compile(r"/api/v1/.+"), 422, "cursor", "a cursor must be one the list made (a `next` link's), for "
     "the same order: opaque by design (decision 0170)"),
]
# Their records are the whole office's, read by role, so one member of staff reading another's is right
# (decision 0080); trips keeps departments' records and notifications each subscriber's.
SHARED_BY_ROLE = ("visits", "contracts", "outreach")
CONFIG = """
[auth.wfc]
path = "{auth}"
user = "staff-a"
peers = ["staff-a", "staff-b"]

[phases.fuzzing.extra-data-sources]
responses = true

[generation]
max-examples = 1

# A department's records listed, then read by id: enough examples that ids come from the owner's own lists.
[[operations]]
include-path-regex = "^/api/v1/(trips|proposals)(/[^/]+)?$"
include-method = "GET"
generation.max-examples = 6
"""


@pytest.fixture(scope="module")
def suite(every_service):
    return every_service


def each_departments_records(suite) -> None:
    """A trip and a proposal of each department, for the peers to list and read (others' only by id)."""
    proposal = example_of(ProposalIn)
    for department in DEPARTMENTS.values():
        travellers = [{"full_name": f"Staff of {department}", "job_title": "Specialist", "category": "staff",
                       "department": department}]
        for path, body in (("/api/v1/trips", {**TRIP_EXAMPLE, "invitation_id": None}), ("/api/v1/proposals", proposal)):
            answer = suite.call("POST", "trips", path, {**body, "department": department, "travellers": travellers},
                                roles="travel")
            assert answer.status == 201, answer.json


def configuration(suite) -> str:
    auth = suite.workdir / "wfc-auth.json"
    auth.write_text(json.dumps({"auth": [
        {"name": name, "fixedHeaders": [{"name": "Authorization", "value": "Bearer " + suite.token(
            ",".join(STAFF_ROLES), sub=name, department=department)}]}
        for name, department in DEPARTMENTS.items()]}))
    config = suite.workdir / "schemathesis.toml"
    config.write_text(CONFIG.format(auth=auth))
    return str(config)


def excluded_checks(service: str) -> tuple[str, ...]:
    return (*EXCLUDED_CHECKS, "object_level_authorization") if service in SHARED_BY_ROLE else EXCLUDED_CHECKS


def hook_environment() -> dict[str, str]:
    rules = [(method, path.pattern if isinstance(path, re.Pattern) else re.escape(path), status, fields)
             for method, path, status, fields, _why in UNSTATED_RULES]
    return {**os.environ, "SCHEMATHESIS_HOOKS": HOOKS, "PYTHONPATH": str(REPO),
            "CHANCERY_UNSTATED_RULES": json.dumps(rules)}


@pytest.fixture(scope="module")
def runs(suite) -> dict[str, tuple[int, str]]:
    """schemathesis on the five services side by side, one worker each, bounded by examples rather than time:
    each service's exit status and report (written to a file: a pipe left unread would stall it)."""
    each_departments_records(suite)
    config = configuration(suite)
    reports, started = {}, {}
    for service in SERVICES:
        reports[service] = suite.workdir / f"schemathesis-{service}.txt"
        with reports[service].open("w") as report:
            started[service] = subprocess.Popen(
                [str(BIN / "st"), "--config-file", config, "run", suite.url(service, "/openapi.json"),
                 "--checks", "all", "--exclude-checks", ",".join(excluded_checks(service)),
                 "--phases", "examples,fuzzing", "--seed", "8", "--workers", "1", "--suppress-health-check", "all",
                 "--request-timeout", "20", "--no-color"],
                cwd=suite.workdir, stdout=report, stderr=subprocess.STDOUT, env=hook_environment())
    return {service: (process.wait(timeout=280), reports[service].read_text())
            for service, process in started.items()}


def failures_of(report: str) -> str:
    """The run's failures and summary, without its progress lines."""
    start = report.find("= FAILURES =")
    return report[start:] if start >= 0 else report[-4000:]


@pytest.mark.parametrize("service", SERVICES)
def test_schemathesis_finds_no_failure_in_the_api_of(runs, service):
    status, report = runs[service]
    assert status == 0, failures_of(report)
    tested = re.search(r"Tested:\s+(\d+)", report)
    assert tested and int(tested.group(1)) > 0, report[-4000:]
