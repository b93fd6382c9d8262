"""The plan line and supplier use cases on an in-memory unit of work: what they record, and what they refuse."""

from datetime import date
from decimal import Decimal

import pytest

from services.contracts.domain.refusals import NotInThisState
from services.contracts.operations import plan_lines, suppliers
from services.contracts.tests.procurement_story import PLAN_LINE, supplier
from shared.kit.lifecycle import MissingReason
from shared.kit.refusals import Conflict, Invalid, StaleVersion


def test_a_new_plan_line_is_a_draft_with_its_budget_in_the_event_and_the_audit_record(uow):
    line = plan_lines.create_plan_line(uow, PLAN_LINE, {"title": PLAN_LINE["title"]})
    assert uow.event_types() == ["chancery.contracts.plan-line.created.v1"]
    assert uow.events[0][2]["budget"] == {"amount": "185000.00", "currency": "EUR"}
    assert uow.audits == [("plan-line.created", "plan-line", line.id, {"title": PLAN_LINE["title"]})]


def test_an_approved_plan_line_is_no_longer_changed_and_the_conflict_names_what_is_allowed(uow):
    line = plan_lines.create_plan_line(uow, PLAN_LINE, {})
    plan_lines.move_plan_line(uow, line.id, "approve", None, frozenset({1}))
    with pytest.raises(NotInThisState) as refused:
        plan_lines.update_plan_line(uow, line.id, {"title": "Another"}, {}, None)
    assert refused.value.extensions == {"allowed_actions": ["tender", "cancel"]}
    assert line.title == PLAN_LINE["title"]


def test_a_delivery_before_the_tender_is_refused_naming_planned_delivery_by(uow):
    line = plan_lines.create_plan_line(uow, PLAN_LINE, {})
    with pytest.raises(Invalid) as refused:
        plan_lines.update_plan_line(uow, line.id, {"planned_delivery_by": date(2027, 1, 1)}, {}, None)
    assert refused.value.field == "planned_delivery_by"


def test_cancelling_a_plan_line_needs_a_reason_and_changing_an_older_version_is_refused(uow):
    line = plan_lines.create_plan_line(uow, PLAN_LINE, {})
    with pytest.raises(StaleVersion):
        plan_lines.update_plan_line(uow, line.id, {"budget": {"amount": Decimal("1.00"), "currency": "EUR"}}, {},
                                    frozenset({2}))
    with pytest.raises(MissingReason):
        plan_lines.move_plan_line(uow, line.id, "cancel", " ", None)
    plan_lines.move_plan_line(uow, line.id, "cancel", "Budget cut", None)
    assert uow.audits[-1][3] == {"status": ["draft", "cancelled"], "reason": "Budget cut"}


def test_a_supplier_event_says_whether_it_is_foreign_and_never_names_its_contacts(uow):
    supplier(uow, 1, "BG")
    supplier(uow, 2, "DE")
    assert [data["foreign"] for _, _, data in uow.events] == [False, True]
    assert all("contact_name" not in data for _, _, data in uow.events)


def test_a_second_supplier_with_the_same_identifier_or_a_foreign_scheme_is_refused(uow):
    supplier(uow, 1)
    with pytest.raises(Conflict) as refused:
        supplier(uow, 1)
    assert refused.value.slug == "duplicate"
    with pytest.raises(Invalid) as wrong_scheme:
        suppliers.register_supplier(uow, {"legal_name": "Lyon SA", "country": "FR"}, "DE-CR", "X1", {})
    assert wrong_scheme.value.field == "identifier.scheme" and len(uow.events) == 1
