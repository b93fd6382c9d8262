"""No sequence of API calls, by whoever makes them, brings a trip request into a state its approval chain
does not allow: the real trips service (Flask app on its migrated database) against a model kept here."""

import tempfile
from functools import cache
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from conftest import ServiceUnderTest, unit_settings_overrides
from services.trips.app import SPEC, create_app
from services.trips.tests.support import MAYOR, STAFF, put_papers, trip_body
from shared.config import load_settings
from shared.migrations import upgrade

IR, CULTURE = STAFF["department"], "Department of Culture"
TRAVELLERS = [STAFF, {**STAFF, "full_name": "Oleg Smirnov", "department": CULTURE}, MAYOR,
              {**MAYOR, "full_name": "Elena Petrova", "category": "deputy_mayor"}]
# (roles, department) of whoever calls
ACTORS = [("travel", None), ("department-head", IR), ("department-head", CULTURE), ("department-head", None),
          ("mayor-office", None), ("admin", None)]
# Written out here rather than taken from the domain, so that the two are checked against each other.
ALLOWED = {"draft": {"submit": "submitted", "cancel": "cancelled"},
           "submitted": {"approve": "approved", "send-back": "returned", "recall": "draft", "cancel": "cancelled"},
           "returned": {"submit": "submitted", "cancel": "cancelled"},
           "approved": {"cancel": "cancelled", "close": "closed"},
           "closed": {"reopen": "approved"},
           "cancelled": {"reopen": "draft"}}
ACTIONS = ["submit", "approve", "send-back", "recall", "cancel", "close", "reopen"]
NEEDS_REASON = {"send-back", "cancel", "reopen"}


@cache
def trips_service() -> ServiceUnderTest:
    """One app for every generated sequence: each sequence works on a trip request of its own."""
    directory = Path(tempfile.mkdtemp(prefix="trips-approval-"))
    config = unit_settings_overrides("trips", directory)
    upgrade(SPEC, load_settings("trips", config))
    app = create_app(config)
    return ServiceUnderTest("trips", app, app.test_client(), load_settings("trips", config))


def chain_for(travellers: list[dict]) -> list[tuple[str, str | None]]:
    staff = [t["department"] for t in travellers if t["category"] == "staff"]
    chain = [("department-head", department) for department in dict.fromkeys(staff)]
    return chain + ([("mayor-office", None)] if len(staff) < len(travellers) else [])


class TripThroughTheApi(RuleBasedStateMachine):
    @initialize(travellers=st.lists(st.sampled_from(TRAVELLERS), min_size=1, max_size=3, unique_by=lambda t: t[
        "full_name"]))
    def create_trip(self, travellers):
        self.api = trips_service()
        created = self.api.call("POST", "/api/v1/trips", trip_body(travellers=travellers), roles="travel")
        assert created.status_code == 201, created.json
        self.trip = created.json
        put_papers(self.api, self.trip)
        self.chain = chain_for(travellers)
        self.departments = {self.trip["department"], *(t["department"] for t in travellers)}
        self.status, self.awaiting, self.number = "draft", None, None
        self.decisions: list[tuple[str, str | None, str]] = []

    @rule(action=st.sampled_from(ACTIONS), actor=st.sampled_from(ACTORS),
          reason=st.sampled_from([None, "", "the host moved the dates"]))
    def act(self, action, actor, reason):
        roles, department = actor
        response = self.api.call("POST", f"/api/v1/trips/{self.trip['id']}/{action}",
                                 {} if reason is None else {"reason": reason}, roles=roles, department=department)
        deciding = action in ("approve", "send-back")
        if roles != "admin" and (roles == "travel") == deciding:
            assert response.status_code == 403, response.json
            return
        if action in NEEDS_REASON and not reason:  # the body's schema requires it (decision 0082)
            assert response.status_code == 422, response.json
            return
        if roles == "department-head" and department not in self.departments:
            assert response.status_code == 404, response.json  # another department's trip (decision 0080)
            return
        target = ALLOWED[self.status].get(action)
        if target is None:
            assert response.status_code == 409, response.json
            assert sorted(response.json["allowed_actions"]) == sorted(ALLOWED[self.status])
            return
        if deciding and roles != "admin" and (roles, department) != (self.awaiting[0], self.awaiting[1]) and not (
                roles == "mayor-office" and self.awaiting == ("mayor-office", None)):
            assert response.status_code == 403, response.json
            assert response.json["awaiting_department"] == self.awaiting[1]
            return
        assert response.status_code == 200, response.json
        self.advance(action, target)
        self.number = self.number or response.json["travel_order_number"]

    def advance(self, action, target):
        if action == "approve":
            self.decisions.append((*self.awaiting, "approved"))
            position = self.chain.index(self.awaiting) + 1
            if position < len(self.chain):
                self.awaiting = self.chain[position]
                return
        elif action == "send-back":
            self.decisions.append((*self.awaiting, "sent-back"))
        self.status = target
        self.awaiting = self.chain[0] if target == "submitted" else None

    @invariant()
    def the_request_is_where_the_chain_put_it(self):
        trip = self.api.call("GET", f"/api/v1/trips/{self.trip['id']}", roles="travel").json
        assert trip["status"] == self.status
        assert (trip["awaiting"], trip["awaiting_department"]) == (self.awaiting or (None, None))
        assert [(d["step"], d["department"], d["outcome"]) for d in trip["decisions"]] == self.decisions
        assert trip["travel_order_number"] == self.number

    @invariant()
    def an_approved_request_passed_every_step_of_its_chain_in_order(self):
        if self.status in ("approved", "closed") and self.decisions:
            last_round = self.decisions[-len(self.chain):]
            assert [(step, department) for step, department, _ in last_round] == self.chain


TripThroughTheApi.TestCase.settings = settings(max_examples=20, stateful_step_count=15, deadline=None)
test_no_sequence_of_calls_reaches_a_state_the_approval_chain_does_not_allow = TripThroughTheApi.TestCase
