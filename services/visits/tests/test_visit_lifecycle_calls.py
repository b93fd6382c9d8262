"""No sequence of API calls, legal or not, brings a visit or its delegation into an illegal state."""

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from services.visits.domain.visit import OPEN_STATES, VisitStatus
from services.visits.tests.support import VISIT, shared_visits_service
from services.visits.tests.test_visit_rules import EXPECTED

ACTIONS = sorted({action for _, action in EXPECTED})
ROLES = ["head", "member", "accompanying", "security"]
reasons = st.one_of(st.none(), st.just(""), st.just("   "), st.sampled_from(["postponed", "the mayor is ill"]))


class VisitThroughTheApi(RuleBasedStateMachine):
    @initialize()
    def create_visit(self):
        self.api = shared_visits_service()
        created = self.api.call("POST", "/api/v1/visits", VISIT, roles="protocol")
        assert created.status_code == 201
        self.visit_id = created.json["id"]
        self.status = VisitStatus.DRAFT
        self.steps: list[tuple[str, str | None]] = []
        self.members: dict[str, str] = {}

    def call(self, method, path="", body=None, **kwargs):
        return self.api.call(method, f"/api/v1/visits/{self.visit_id}{path}", body, roles="protocol", **kwargs)

    @rule(action=st.sampled_from(ACTIONS), reason=reasons)
    def transition(self, action, reason):
        response = self.call("POST", f"/{action}", {"reason": reason} if reason is not None else {})
        target = EXPECTED.get((self.status, action))
        if action == "cancel" and not (reason or "").strip():  # the body's schema requires it (decision 0082)
            assert response.status_code == 422, response.json
        elif target is None:
            assert response.status_code == 409, response.json
            assert action not in response.json["allowed_actions"]
        else:
            assert response.status_code == 200, response.json
            assert response.json["status"] == target.value
            self.status = target
            self.steps.append((action, (reason or "").strip() or None))

    @rule(role=st.sampled_from(ROLES))
    def add_member(self, role):
        response = self.call("POST", "/members", {"role": role, "name_original": "Имя", "name_latin": "Imya",
                                                  "country": "BG"})
        if self.status not in OPEN_STATES:
            assert response.status_code == 409
        elif role == "head" and "head" in self.members.values():
            assert response.status_code == 409
        else:
            assert response.status_code == 201, response.json
            self.members[response.json["id"]] = role

    @precondition(lambda self: self.members)
    @rule(data=st.data())
    def remove_member(self, data):
        member_id = data.draw(st.sampled_from(list(self.members)))  # creation order: ids are random
        response = self.call("DELETE", f"/members/{member_id}")
        if self.status not in OPEN_STATES:
            assert response.status_code == 409
        else:
            assert response.status_code == 204
            del self.members[member_id]

    @precondition(lambda self: self.members)
    @rule(data=st.data(), role=st.sampled_from(ROLES))
    def change_role(self, data, role):
        member_id = data.draw(st.sampled_from(list(self.members)))  # creation order: ids are random
        response = self.call("PATCH", f"/members/{member_id}", {"role": role})
        others = [r for m, r in self.members.items() if m != member_id]
        if self.status not in OPEN_STATES:
            assert response.status_code == 409
        elif role == "head" and "head" in others:
            assert response.status_code == 409
        else:
            assert response.status_code == 200, response.json
            self.members[member_id] = role

    @invariant()
    def the_visit_is_where_the_lifecycle_put_it(self):
        assert self.call("GET").json["status"] == self.status.value

    @invariant()
    def the_history_holds_each_accepted_step_with_its_reason(self):
        history = self.call("GET", "/status-history").json["items"]
        assert [(h["action"], h["reason"]) for h in history] == self.steps
        for before, after in zip(history, history[1:], strict=False):
            assert before["to_status"] == after["from_status"]

    @invariant()
    def the_delegation_has_at_most_one_head_and_exactly_the_people_added(self):
        unit = self.call("GET", "/delegation").json
        heads = [m for m in self.members.values() if m == "head"]
        assert (unit["head"] is not None) == bool(heads)
        assert unit["size"] == len(self.members)


VisitThroughTheApi.TestCase.settings = settings(max_examples=30, stateful_step_count=12, deadline=None)
test_no_sequence_of_calls_reaches_an_illegal_state = VisitThroughTheApi.TestCase
