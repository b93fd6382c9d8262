"""Travel order numbers on PostgreSQL with two web workers: concurrent submissions never share or skip one."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from services.trips.api.trip_schemas import TRIP_EXAMPLE
from tests.support.processes import Suite

pytestmark = pytest.mark.integration

STAFF = {"full_name": "Anna Volkova", "job_title": "Chief specialist", "category": "staff",
         "department": "International Relations Department"}
REQUESTS = 16


def test_concurrent_first_submissions_get_every_number_of_the_year_once(tmp_path):
    with Suite(("trips",), tmp_path, database="postgres", extra_env={"CHANCERY_WEB_WORKERS": "2"}) as suite:
        body = {**TRIP_EXAMPLE, "invitation_id": None, "travellers": [STAFF]}
        ids = [suite.call("POST", "trips", "/api/v1/trips", body, roles="travel").json["id"] for _ in range(REQUESTS)]

        def submit(trip_id):
            return suite.call("POST", "trips", f"/api/v1/trips/{trip_id}/submit", {}, roles="travel")

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(submit, ids))
        assert [answer.status for answer in answers] == [200] * REQUESTS, [a.body for a in answers]
        year = datetime.now(UTC).year
        numbers = sorted(answer.json["travel_order_number"] for answer in answers)
        assert numbers == [f"TO-{year}-{n:05d}" for n in range(1, REQUESTS + 1)]
