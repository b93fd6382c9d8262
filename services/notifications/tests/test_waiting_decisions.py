"""Approvers told: default role subscriptions per role, a department head hearing only their own department's
trips, decisions waiting tracked from events (a late one changes nothing), escalated by the sweep on a frozen
clock, and counted per role (decisions 0125-0127)."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.notifications.domain.audience import check_pattern_allowed, may_receive
from services.notifications.operations.fan_out import fan_out
from services.notifications.settings import DEFAULT_ESCALATIONS
from services.notifications.store.models import Notification, plumbing
from services.notifications.tasks import PERIODIC_TASKS
from shared.periodic import PeriodicRunner
from shared.uow import worker_unit_of_work

SUBMITTED_AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DEFAULTS = DEFAULT_ESCALATIONS.parent / "role-subscriptions.json"


@pytest.fixture
def notifications(service_app):
    service = service_app("notifications")
    for sub, roles, department in (("hana", "department-head", "Culture"), ("dmitri", "department-head", "Economy"),
                                   ("mira", "mayor-office", None), ("tom", "travel", None)):
        assert service.call("PUT", "/api/v1/people/me", {"display_name": sub.title()}, roles=roles, sub=sub,
                            department=department).status_code == 200
    return service


def trip_event(action, version, status="submitted", awaiting="department-head", department=" culture ",
               trip_id="t-1", at=SUBMITTED_AT):
    return {"id": str(uuid.uuid4()), "type": f"chancery.trips.trip.{action}.v1", "subject": trip_id,
            "time": at.isoformat(), "data": {
                "id": trip_id, "title": "Twinning forum in Lyon", "department": "Culture", "countries": ["FR"],
                "starts_on": "2027-04-10", "ends_on": "2027-04-13", "status": status, "awaiting": awaiting,
                "awaiting_department": department if awaiting == "department-head" else None, "version": version}}


def consume(notifications, event, now=SUBMITTED_AT):
    service = notifications.app.extensions["chancery"]
    service.clock = lambda: now
    with service.database.session() as session:
        fan_out(worker_unit_of_work(service, session, event["id"]), event)
    return event["id"]


def inbox(notifications, event_id=None):
    with notifications.app.extensions["chancery"].database.read_session() as session:
        statement = select(Notification.recipient, Notification.event_type)
        if event_id:
            statement = statement.where(Notification.event_id == event_id)
        return sorted(session.execute(statement).all())


def sweep(notifications, now):
    runtime = notifications.app.extensions["chancery"]
    assert PeriodicRunner(runtime, PERIODIC_TASKS).run_once(PERIODIC_TASKS[0], now)


def escalations(notifications):
    outbox = plumbing.outbox
    with notifications.app.extensions["chancery"].database.read_session() as session:
        return list(session.execute(select(outbox.c.data).where(
            outbox.c.type == "chancery.notifications.decision.escalated.v1")).scalars())


def figures(notifications, sub, roles, department=None):
    response = notifications.call("GET", "/api/v1/waiting-decisions/figures", roles=roles, sub=sub,
                                  department=department)
    assert response.status_code == 200, response.json
    return response.json


def test_every_default_role_subscription_lies_within_its_roles_departments():
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    for entry in defaults:
        check_pattern_allowed(entry["pattern"], frozenset({entry["role"]}))
    assert {entry["role"] for entry in defaults} == {"department-head", "mayor-office", "protocol", "procurement",
                                                     "outreach"}


def test_a_department_head_hears_only_their_own_departments_trips():
    event_type = "chancery.trips.trip.updated.v1"
    head = frozenset({"department-head"})
    assert may_receive(event_type, head, data={"department": "Culture"}, department="CULTURE")
    assert may_receive(event_type, head, data={"department": "Economy", "awaiting_department": "culture"},
                       department="Culture")
    assert not may_receive(event_type, head, data={"department": "Economy"}, department="Culture")
    assert not may_receive(event_type, head, data={"department": "Culture"}, department=None)
    assert not may_receive("chancery.trips.leg.added.v1", head, data={"trip_id": "t-1"}, department="Culture")
    assert may_receive(event_type, frozenset({"travel"}), data={"department": "Economy"})


def test_a_submitted_trip_reaches_its_departments_head_by_default_and_not_another_departments(notifications):
    event_id = consume(notifications, trip_event("submitted", 2))
    assert inbox(notifications, event_id) == [("hana", "chancery.trips.trip.submitted.v1")]
    assert figures(notifications, "hana", "department-head", "Culture")["yours"] == 1
    assert figures(notifications, "dmitri", "department-head", "Economy")["yours"] == 0


def test_the_heads_approval_tells_the_mayors_office_and_a_late_submission_changes_nothing(notifications):
    consume(notifications, trip_event("submitted", 2))
    approved = consume(notifications, trip_event("step-approved", 3, awaiting="mayor-office"))
    assert inbox(notifications, approved) == [("mira", "chancery.trips.trip.step-approved.v1")]
    late = consume(notifications, trip_event("submitted", 2))
    assert inbox(notifications, late) == []
    assert figures(notifications, "hana", "department-head", "Culture")["yours"] == 0
    assert figures(notifications, "mira", "mayor-office")["roles"] == [
        {"role": "mayor-office", "waiting": 1, "overdue": 0}]


def test_a_trip_left_waiting_past_its_due_time_is_escalated_once_to_the_mayors_office(notifications):
    consume(notifications, trip_event("submitted", 2))
    sweep(notifications, SUBMITTED_AT + timedelta(hours=47))
    assert escalations(notifications) == []
    late = SUBMITTED_AT + timedelta(hours=49)
    sweep(notifications, late)
    sweep(notifications, late + timedelta(hours=1))
    [escalated] = escalations(notifications)
    assert (escalated["record_id"], escalated["awaiting"], escalated["department"], escalated["escalated_to"]) == (
        "t-1", "department-head", " culture ", "mayor-office")
    told = consume(notifications, {"id": str(uuid.uuid4()), "type": "chancery.notifications.decision.escalated.v1",
                                   "subject": escalated["id"], "data": escalated}, now=late)
    assert inbox(notifications, told) == [("mira", "chancery.notifications.decision.escalated.v1")]
    assert figures(notifications, "mira", "mayor-office")["roles"] == [
        {"role": "department-head", "waiting": 1, "overdue": 1}]


def test_a_decision_taken_before_its_due_time_is_never_escalated(notifications):
    consume(notifications, trip_event("submitted", 2))
    consume(notifications, trip_event("sent-back", 3, status="returned", awaiting=None))
    sweep(notifications, SUBMITTED_AT + timedelta(days=5))
    assert escalations(notifications) == []


def letter_event(action, version, status, letter_id="l-1"):
    return {"id": str(uuid.uuid4()), "type": f"chancery.visits.visa-letter.{action}.v1", "subject": letter_id,
            "time": SUBMITTED_AT.isoformat(), "data": {
                "visit_id": "v-1", "partner_id": None, "country": "FR", "letter": {
                    "id": letter_id, "member_id": "m-1", "language": "bg", "status": status,
                    "registry_number": "VL-2027-0007", "version": version}}}


def agreement_event(action, version, status, agreement_id="a-1"):
    return {"id": str(uuid.uuid4()), "type": f"chancery.contracts.agreement.{action}.v1", "subject": agreement_id,
            "time": SUBMITTED_AT.isoformat(), "data": {"id": agreement_id, "title": "Twinning with Lyon",
                                                        "status": status, "version": version}}


def test_a_visa_letter_in_review_and_a_submitted_agreement_wait_for_the_mayors_office_until_decided(notifications):
    consume(notifications, letter_event("submitted", 2, "in_review"))
    consume(notifications, agreement_event("submitted", 2, "submitted"))
    assert figures(notifications, "mira", "mayor-office")["yours"] == 2
    consume(notifications, letter_event("approved", 3, "approved"))
    consume(notifications, letter_event("submitted", 2, "in_review"))  # late: changes nothing
    assert figures(notifications, "mira", "mayor-office")["yours"] == 1
    consume(notifications, agreement_event("approved", 3, "approved"))
    assert figures(notifications, "mira", "mayor-office")["yours"] == 0
