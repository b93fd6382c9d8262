"""The demo data: loaded through outreach's own API, complete, and the same however often it is loaded."""

import time

from services.outreach import seed
from services.outreach.store.models import (
    OfficeStaffMember,
    OrganisationContact,
    Partner,
    PartnerRelationship,
    PlanItem,
    ProgrammeParticipant,
    Survey,
    SurveyResponse,
)
from shared.seed import SeedError


class FlaskSeedClient:
    """`shared.seed.SeedClient`'s contract, answered by the Flask test client instead of a running suite."""

    def __init__(self, outreach):
        self.outreach = outreach

    def call(self, service, method, path, body=None, *, roles, key=None, tolerate=(), department=None):
        assert service == "outreach"
        headers = {"Idempotency-Key": f"seed:{key}"} if key else {}
        response = self.outreach.call(method, path, body, roles=roles, sub="demo-seed", headers=headers,
                                      department=department)
        while response.status_code == 429:  # the rate limit: wait as told and send it again, as SeedClient does
            time.sleep(float(response.headers.get("Retry-After", "1")))
            response = self.outreach.call(method, path, body, roles=roles, sub="demo-seed", headers=headers,
                                          department=department)
        if response.status_code in tolerate:
            return None
        if response.status_code >= 400:
            raise SeedError(f"{method} {path}: {response.status_code} {response.json}")
        return response.json


def test_the_seed_loads_partners_with_twinning_history_a_campaign_a_survey_and_a_plan_in_every_state(outreach):
    seed.seed(FlaskSeedClient(outreach))
    assert outreach.count(Partner) == 4 and outreach.count(PartnerRelationship) == 5
    found = outreach.call("GET", "/api/v1/partners?q=софия", roles="mayor-office").json["items"]
    assert [partner["name"] for partner in found] == ["Sofia"]
    statuses = {item["status"] for item in outreach.call("GET", "/api/v1/plan-items?page_size=50").json["items"]}
    assert statuses == {"planned", "in_progress", "done", "cancelled"}
    assert outreach.call("GET", "/api/v1/plan-items?overdue=true").json["total"] == 1
    assert outreach.call("GET", "/api/v1/plans/2027/monitoring").json["approved_version"] == 1
    assert outreach.call("GET", "/api/v1/campaigns").json["total"] == 1
    assert outreach.call("GET", "/api/v1/materials?status=in_review").json["total"] == 1
    assert (outreach.count(Survey), outreach.count(SurveyResponse)) == (1, 6)
    assert [outreach.count(model) for model in (OrganisationContact, OfficeStaffMember, ProgrammeParticipant)] == [
        1, 2, 1]


def test_loading_the_seed_twice_duplicates_nothing(outreach):
    seed.seed(FlaskSeedClient(outreach))
    models = (Partner, PartnerRelationship, PlanItem, Survey, SurveyResponse, OrganisationContact, OfficeStaffMember,
              ProgrammeParticipant)
    counts = [outreach.count(model) for model in models]
    seed.seed(FlaskSeedClient(outreach))
    assert [outreach.count(model) for model in models] == counts
