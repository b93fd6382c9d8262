"""Who reads and who writes cooperation agreements and commitments to investors, on the real contracts service
(decision 0135): outreach and the mayor's office read them, procurement alone writes them, the mayor's office
alone approves an agreement; the other staff roles get 403."""

from datetime import UTC, datetime

import pytest

from services.contracts.api.agreement_schemas import AGREEMENT_EXAMPLE
from services.contracts.api.commitment_schemas import CommitmentCreate
from tests.support.openapi import example_of

pytestmark = pytest.mark.integration
READERS = ("outreach", "mayor-office")
OTHERS = ("protocol", "travel", "department-head", "notifications-admin", "operator")


@pytest.fixture(scope="module")
def suite(every_service):
    return every_service


def as_role(suite, role, method, path, body=None):
    return suite.call(method, "contracts", path, body, roles=role, sub=f"someone-{role}", department="Culture")


def made(answer, status=201):
    assert answer.status == status, answer.json
    return answer.json


@pytest.fixture(scope="module")
def records(suite) -> dict[str, str]:
    """An agreement waiting for the mayor's office and an open commitment, both procurement's."""
    agreement = made(as_role(suite, "procurement", "POST", "/api/v1/agreements", {**AGREEMENT_EXAMPLE,
                                                                                 "partner_id": None}))
    made(as_role(suite, "procurement", "POST", f"/api/v1/agreements/{agreement['id']}/submit", {}), 200)
    commitment = made(as_role(suite, "procurement", "POST", "/api/v1/commitments",
                              example_of(CommitmentCreate, agreement_id=None, partner_id=None)))
    return {"agreement": agreement["id"], "commitment": commitment["id"]}


def reads(records) -> list[str]:
    agreement = f"/api/v1/agreements/{records['agreement']}"
    return ["/api/v1/agreements", agreement, f"{agreement}/amendments", f"{agreement}/documents",
            "/api/v1/commitments", f"/api/v1/commitments/{records['commitment']}"]


def writes(records) -> list[tuple[str, dict]]:
    agreement = f"/api/v1/agreements/{records['agreement']}"
    today = datetime.now(UTC).date().isoformat()
    return [("/api/v1/agreements", {**AGREEMENT_EXAMPLE, "partner_id": None}),
            (f"{agreement}/cancel", {"reason": "Not ours to cancel"}),
            (f"{agreement}/clear", {"cleared_on": today, "reference": "MFA 1"}),
            (f"{agreement}/sign", {"signed_on": today}),
            (f"{agreement}/documents", {"title": "Draft", "url": "https://docs.city.example/a.pdf"}),
            ("/api/v1/commitments", example_of(CommitmentCreate, agreement_id=None, partner_id=None)),
            (f"/api/v1/commitments/{records['commitment']}/cancel", {"reason": "Not ours to cancel"})]


@pytest.mark.parametrize("role", READERS)
def test_outreach_and_the_mayors_office_read_agreements_and_commitments_but_write_neither(suite, records, role):
    for path in reads(records):
        assert as_role(suite, role, "GET", path).status == 200, path
    listed = as_role(suite, role, "GET", "/api/v1/agreements?status=submitted&page_size=200").json["items"]
    assert records["agreement"] in {item["id"] for item in listed}
    for path, body in writes(records):
        assert as_role(suite, role, "POST", path, body).status == 403, path


@pytest.mark.parametrize("role", OTHERS)
def test_the_other_staff_roles_neither_read_nor_write_agreements_and_commitments(suite, records, role):
    for path in reads(records):
        assert as_role(suite, role, "GET", path).status == 403, path
    for path, body in writes(records):
        assert as_role(suite, role, "POST", path, body).status == 403, path


@pytest.mark.parametrize("role", ("procurement", "outreach", *OTHERS))
def test_only_the_mayors_office_approves_or_sends_back_an_agreement(suite, records, role):
    agreement = f"/api/v1/agreements/{records['agreement']}"
    assert as_role(suite, role, "POST", f"{agreement}/approve", {}).status == 403
    assert as_role(suite, role, "POST", f"{agreement}/send-back", {"reason": "No"}).status == 403
    assert as_role(suite, "mayor-office", "GET", agreement).json["status"] == "submitted"
