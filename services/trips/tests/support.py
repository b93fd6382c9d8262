"""Helpers shared by the trips unit tests."""

from services.trips.api.trip_schemas import TRIP_EXAMPLE

PROBLEM = "application/problem+json"
STAFF = {"full_name": "Anna Volkova", "job_title": "Chief specialist", "category": "staff",
         "department": "International Relations Department"}
MAYOR = {"full_name": "Ivan Sergeev", "job_title": "Mayor", "category": "mayor", "department": "Office of the Mayor"}


def trip_body(**changes) -> dict:
    return {**TRIP_EXAMPLE, "invitation_id": None, **changes}


def create(trips, sub="vera", **changes):
    response = trips.call("POST", "/api/v1/trips", trip_body(**changes), roles="travel", sub=sub)
    assert response.status_code == 201, response.json
    return response.json


def act(trips, trip_id, action, reason=None, roles="travel", etag=None, sub="tester",
        department=STAFF["department"]):
    """A transition by someone of the staff travellers' department unless `department` says otherwise."""
    headers = {"If-Match": etag} if etag else {}
    body = {} if reason is None else {"reason": reason}
    return trips.call("POST", f"/api/v1/trips/{trip_id}/{action}", body, roles=roles, headers=headers, sub=sub,
                      department=department)


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.json
    assert response.mimetype == PROBLEM
    assert response.json["status"] == status
    if field:
        assert field in {error["field"] for error in response.json["errors"]}, response.json
    return response.json


PASSPORT = {"number": "751234567", "expires_on": "2031-02-14", "date_of_birth": "1975-04-02"}


def put_papers(trips, trip, roles="travel"):
    """Every traveller's passport, visa (not required), insurance and travel order in order."""
    trip = trips.call("GET", f"/api/v1/trips/{trip['id']}", roles=roles).json
    for traveller in trip["travellers"]:
        base = f"/api/v1/trips/{trip['id']}/travellers/{traveller['id']}"
        answers = [trips.call("PUT", f"{base}/passport", PASSPORT, roles=roles)]
        for kind, status in (("visa", "not_required"), ("insurance", "obtained"), ("travel_order", "obtained")):
            answers.append(trips.call("PUT", f"{base}/documents/{kind}", {"status": status}, roles=roles))
        assert all(answer.status_code == 200 for answer in answers), [a.json for a in answers]
