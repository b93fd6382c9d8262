"""The demo data: the mayor's trip to Sofia from request to report, loaded through trips' API, repeatably."""

from services.trips import seed
from shared.seed import SeedError


class FlaskSeedClient:
    """`shared.seed.SeedClient`'s contract, answered by the Flask test client; outreach knows no partner."""

    def __init__(self, trips):
        self.trips = trips

    def call(self, service, method, path, body=None, *, roles, key=None, tolerate=(), department=None):
        if service == "outreach":
            return {"items": []}
        headers = {"Idempotency-Key": f"seed:{key}"} if key else {}
        response = self.trips.call(method, path, body, roles=roles, sub="demo-seed", headers=headers,
                                   department=department)
        if response.status_code in tolerate:
            return None
        if response.status_code >= 400:
            raise SeedError(f"{method} {path}: {response.status_code} {response.json}")
        return response.json


def test_the_seed_takes_the_mayors_trip_to_sofia_from_request_to_submitted_report(trips):
    seed.seed(FlaskSeedClient(trips))
    [trip] = trips.call("GET", "/api/v1/trips?country=BG", roles="travel").json["items"]
    assert trip["status"] == "closed"
    assert [d["step"] for d in trip["decisions"]] == ["department-head", "mayor-office"]
    base = f"/api/v1/trips/{trip['id']}"
    assert trips.call("GET", f"{base}/report", roles="travel").json["status"] == "submitted"
    budget = trips.call("GET", f"{base}/budget", roles="travel").json
    assert budget["expected_total"] == "2882.58" and budget["actual_total"] == "2784.94"
    assert trips.call("GET", f"{base}/legs", roles="travel").json["total"] == 2
    proposals = trips.call("GET", "/api/v1/proposals?sort=starts_on", roles="travel").json["items"]
    assert [p["status"] for p in proposals] == ["approved", "rejected", "proposed"]  # the last waits for a decision


def test_loading_the_seed_twice_duplicates_nothing(trips):
    seed.seed(FlaskSeedClient(trips))
    seed.seed(FlaskSeedClient(trips))
    assert trips.call("GET", "/api/v1/trips", roles="travel").json["total"] == 2  # Sofia and the approved proposal
    trip = trips.call("GET", "/api/v1/trips?country=BG", roles="travel").json["items"][0]
    assert trips.call("GET", f"/api/v1/trips/{trip['id']}/costs", roles="travel").json["total"] == 6
