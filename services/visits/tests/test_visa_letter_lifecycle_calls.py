"""No sequence of API calls, by any role, legal or not, brings a visa letter into an illegal state: it is issued
only once approved by the mayor's office, gets one registry number that never changes, and its passport data
shows only to protocol staff and never in its events."""

import re

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from services.visits.tests.support import VISIT, audit_actions, outbox, shared_visits_service

PASSPORT = "EA7215934"
# action -> (states it may start from, state it leads to, roles that may take it), as decision 0016 states them.
EXPECTED = {
    "submit": (("draft",), "in_review", {"protocol"}),
    "approve": (("in_review",), "approved", {"mayor-office"}),
    "return": (("in_review", "approved"), "draft", {"protocol", "mayor-office"}),
    "issue": (("approved",), "issued", {"protocol"}),
}
EVENT = {"submit": "submitted", "approve": "approved", "return": "returned", "issue": "issued"}
ROLES = st.sampled_from(["protocol", "mayor-office", "travel"])
REGISTRY_NUMBER = re.compile(r"^VL-[0-9]{4}-[0-9]{5}$")


class VisaLetterThroughTheApi(RuleBasedStateMachine):
    @initialize()
    def draft(self):
        self.api = shared_visits_service()
        visit = self.api.call("POST", "/api/v1/visits", VISIT, roles="protocol").json
        member = self.api.call("POST", f"/api/v1/visits/{visit['id']}/members", {
            "role": "head", "name_original": "Grégoire Dubois", "name_latin": "Gregoire Dubois", "country": "FR"},
            roles="protocol").json
        self.path = f"/api/v1/visits/{visit['id']}/visa-letters"
        created = self.api.call("POST", self.path, {
            "member_id": member["id"], "language": "ru", "consulate": "Consulate of Bulgaria in Lyon",
            "passport_number": PASSPORT, "date_of_birth": "1968-02-11", "place_of_birth": "Lyon"}, roles="protocol")
        assert created.status_code == 201, created.json
        self.path += f"/{created.json['id']}"
        self.id, self.status, self.registry_number = created.json["id"], "draft", None
        self.steps = ["drafted"]

    @rule(action=st.sampled_from(sorted(EXPECTED)), roles=ROLES, reason=st.sampled_from(["", "wrong consulate"]))
    def move(self, action, roles, reason):
        body = {"reason": reason} if action == "return" else None
        response = self.api.call("POST", f"{self.path}/{action}", body, roles=roles)
        sources, target, allowed_roles = EXPECTED[action]
        if roles not in allowed_roles:
            assert response.status_code == 403, response.json
        elif action == "return" and not reason:
            assert response.status_code == 422 and response.json["errors"][0]["field"] == "reason"
        elif self.status not in sources:
            assert response.status_code == 409, response.json
            assert action not in response.json["allowed_actions"]
        else:
            assert response.status_code == 200, response.json
            assert response.json["status"] == target
            self.status = target
            self.steps.append(EVENT[action])
            if action == "issue":
                self.registry_number = response.json["registry_number"]

    @rule(roles=ROLES)
    def read(self, roles):
        response = self.api.call("GET", self.path, roles=roles)
        if roles == "travel":
            assert response.status_code == 403
            return
        assert response.status_code == 200
        assert (response.json["passport_number"] == PASSPORT) == (roles == "protocol")

    @invariant()
    def the_letter_is_where_the_rules_put_it_with_one_registry_number_once_issued(self):
        letter = self.api.call("GET", self.path, roles="mayor-office").json
        assert letter["status"] == self.status
        assert letter["registry_number"] == self.registry_number
        assert (self.registry_number is not None) == (self.status == "issued")
        if self.registry_number:
            assert REGISTRY_NUMBER.match(self.registry_number)

    @invariant()
    def every_step_taken_has_its_event_without_the_passport_data(self):
        events = [e for e in outbox(self.api, "chancery.visits.visa-letter.") if e["subject"] == self.id]
        assert [e["type"].split(".")[-2] for e in events] == self.steps
        assert PASSPORT not in repr(events)
        assert [a for a in audit_actions(self.api, self.id) if a.startswith("visa-letter.")] == [
            f"visa-letter.{step}" for step in self.steps]


VisaLetterThroughTheApi.TestCase.settings = settings(max_examples=20, stateful_step_count=10, deadline=None)
test_no_sequence_of_calls_issues_a_letter_unapproved_or_reveals_its_passport_data = VisaLetterThroughTheApi.TestCase
