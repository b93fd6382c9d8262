"""The body of a lifecycle action (shared/http/records.py): an action that requires a reason takes a required body
whose reason the OpenAPI document states exactly as the lifecycle's rule takes it."""

from __future__ import annotations

from enum import StrEnum

import jsonschema_rs
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from shared.http.records import TransitionRequest, action_body, with_reason
from shared.kit.lifecycle import Lifecycle, MissingReason


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


CLOSING = ((Status.OPEN,), Status.CLOSED)
LIFECYCLE = Lifecycle("thing", Status, {"close": CLOSING, "cancel": CLOSING}, reason_required=frozenset({"cancel"}))
WITH_REASON = with_reason(TransitionRequest)
DOCUMENTED = jsonschema_rs.validator_for(WITH_REASON.model_json_schema())
# Every character some reading of "blank" takes for one (Python's, ECMA-262's, Rust's), NUL, and a letter.
BLANKISH = "".join(chr(code) for code in range(0x3001) if chr(code).isspace()) + "\ufeff\u200b\x00x"


def test_only_the_actions_that_require_a_reason_take_the_body_with_a_required_reason():
    assert action_body(LIFECYCLE, "cancel") is WITH_REASON
    assert action_body(LIFECYCLE, "close") is TransitionRequest
    assert WITH_REASON.model_config["openapi_extra"] == {"required": True}
    assert WITH_REASON.model_json_schema()["required"] == ["reason"]


@given(st.text(alphabet=BLANKISH, max_size=6))
def test_a_required_reason_is_taken_by_the_body_exactly_when_its_document_and_the_lifecycle_take_it(reason):
    try:
        WITH_REASON.model_validate({"reason": reason})
        taken = True
    except ValidationError as error:
        assert [part["loc"] for part in error.errors()] == [("reason",)]
        taken = False
    try:
        LIFECYCLE.next_status(Status.OPEN, "cancel", reason)
        given_by_the_rule = "\x00" not in reason
    except MissingReason:
        given_by_the_rule = False
    assert taken == DOCUMENTED.is_valid({"reason": reason}) == given_by_the_rule
