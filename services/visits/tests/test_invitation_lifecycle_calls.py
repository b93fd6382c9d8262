"""No sequence of API calls, by either role, legal or not, brings an invitation into an illegal state: it is
answered once, only after someone looked at it, only by the mayor's office, and what it became is there."""

from datetime import UTC, datetime, timedelta
from itertools import count

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from services.visits.tests.support import audit_actions, outbox, shared_visits_service

OPEN = ("received", "under_review", "assigned", "delegated")
DECIDING = ("under_review", "assigned", "delegated")
# action -> (states it may start from, state it leads to, roles that may take it): written out here, not
# read from the domain module, so that the API is checked against the rules as decision 0014 states them.
EXPECTED = {
    "review": (("received",), "under_review", {"protocol", "mayor-office"}),
    "assign": (OPEN, "assigned", {"protocol", "mayor-office"}),
    "delegate": (DECIDING, "delegated", {"mayor-office"}),
    "accept": (DECIDING, "accepted", {"mayor-office"}),
    "decline": (DECIDING, "declined", {"mayor-office"}),
}
EVENT = {"review": "reviewed", "assign": "assigned", "delegate": "delegated", "accept": "accepted",
         "decline": "declined"}
ROLES = st.sampled_from(["protocol", "mayor-office"])
TODAY = datetime.now(UTC).date()
sequence = count()  # officials and venues of their own, so no sequence's function clashes with another's


class InvitationThroughTheApi(RuleBasedStateMachine):
    @initialize(location=st.sampled_from(["in_city", "abroad"]))
    def receive(self, location):
        self.api, self.location, self.number = shared_visits_service(), location, next(sequence)
        created = self.api.call("POST", "/api/v1/invitations", {
            "title": "Forum of Danube cities", "inviting_party": "City of Ruse", "country": "BG", "city": "Ruse",
            "location": location, "starts_on": "2027-09-14", "ends_on": "2027-09-15", "received_on": "2027-06-01"},
            roles="protocol")
        assert created.status_code == 201, created.json
        self.id, self.status, self.official = created.json["id"], "received", None
        self.steps = ["received"]

    def call(self, action, body, roles):
        return self.api.call("POST", f"/api/v1/invitations/{self.id}/{action}", body, roles=roles)

    def expect(self, action, roles, response, *, needs_official=False):
        """Check the answer against the rules; true when the step was taken."""
        sources, target, allowed_roles = EXPECTED[action]
        if roles not in allowed_roles:
            assert response.status_code == 403, response.json
        elif self.status not in sources:
            assert response.status_code == 409, response.json
            assert action not in response.json["allowed_actions"]
        elif needs_official:
            assert response.status_code == 422 and response.json["errors"][0]["field"] == "official"
        else:
            assert response.status_code == 200, response.json
            assert response.json["status"] == target
            self.status = target
            self.steps.append(EVENT[action])
            return True
        return False

    @rule(roles=ROLES)
    def review(self, roles):
        self.expect("review", roles, self.call("review", {}, roles))

    @rule(roles=ROLES, to_official=st.booleans())
    def assign(self, roles, to_official):
        assignee = f"Deputy Mayor {self.number}" if to_official else "Department of Culture"
        response = self.call("assign", {"assignee": assignee, "assignee_kind": "official" if to_official
                                        else "department", "deadline": (TODAY + timedelta(days=7)).isoformat()},
                             roles)
        if self.expect("assign", roles, response):
            self.official = assignee if to_official else None

    @rule(roles=ROLES)
    def delegate(self, roles):
        official = f"Secretary {self.number}"
        if self.expect("delegate", roles, self.call("delegate", {"official": official}, roles)):
            self.official = official

    @rule(roles=ROLES, name_official=st.booleans(), as_function=st.booleans())
    def accept(self, roles, name_official, as_function):
        body = {"official": f"Mayor {self.number}"} if name_official else {}
        if as_function and self.location == "in_city":
            body |= {"becomes": "function", "function": {
                "kind": "round_table", "starts_at": "2027-09-14T10:00:00", "ends_at": "2027-09-14T12:00:00",
                "time_zone": "Europe/Sofia", "venue": f"Riverside hall {self.number}"}}
        response = self.call("accept", body, roles)
        if self.expect("accept", roles, response, needs_official=not name_official and self.official is None):
            self.became = "function" if "becomes" in body else ("visit" if self.location == "in_city" else "trip")

    @rule(roles=ROLES, language=st.sampled_from(["en", "ru", "bg"]))
    def decline(self, roles, language):
        self.expect("decline", roles, self.call("decline", {"reason": "the Mayor is abroad", "language": language},
                                                roles))

    @rule()
    def correct_the_title(self):
        response = self.api.call("PATCH", f"/api/v1/invitations/{self.id}", {"summary": "Panel on river ports"},
                                 roles="protocol")
        if self.status in OPEN:
            assert response.status_code == 200, response.json
            self.steps.append("updated")
        else:
            assert response.status_code == 409

    @invariant()
    def the_invitation_is_where_the_rules_put_it_and_what_it_became_is_linked(self):
        invitation = self.api.call("GET", f"/api/v1/invitations/{self.id}", roles="mayor-office").json
        assert invitation["status"] == self.status
        if self.status != "accepted":
            assert (invitation["became"], invitation["visit_id"], invitation["function_id"]) == (None, None, None)
            return
        became = invitation["became"]
        assert became["kind"] == self.became
        assert became["id"] == {"visit": invitation["visit_id"], "function": invitation["function_id"],
                                "trip": None}[self.became]
        if became["href"]:
            assert self.api.call("GET", became["href"], roles="mayor-office").status_code == 200

    @invariant()
    def every_step_taken_and_only_those_has_its_event_and_audit_record(self):
        events = [e["type"].split(".")[-2] for e in outbox(self.api, "chancery.visits.invitation.")
                  if e["subject"] == self.id]
        assert events == self.steps
        assert audit_actions(self.api, self.id) == [f"invitation.{step}" for step in self.steps]


InvitationThroughTheApi.TestCase.settings = settings(max_examples=20, stateful_step_count=10, deadline=None)
test_no_sequence_of_calls_answers_an_invitation_twice_unread_or_by_the_wrong_role = InvitationThroughTheApi.TestCase
