"""The report after a trip: written by travel staff, submitted for the annual plan (follow-ups to outreach)."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.trips.api.schemas import ReportIn, ReportOut, ReportUpdate, TransitionRequest, TripPath
from services.trips.api.trips import BODY_PROBLEMS, READERS, TRAVEL, countries_of, find_trip, invalid
from services.trips.domain.report import (
    EVENT_ACTION,
    TRANSITIONS,
    IllegalTransition,
    NotEditable,
    ReportStatus,
    TripNotReportable,
    check_editable,
    check_reportable,
    next_status,
)
from services.trips.domain.trip import TripStatus, allowed_actions
from services.trips.store.models import FollowUp, Report, Trip
from shared.db import utcnow
from shared.http.auth import allow
from shared.http.problems import Problem, problem_responses
from shared.http.resources import created, etag, idempotent, json_response, require_fresh
from shared.http.work import read_only, unit_of_work
from shared.uow import UnitOfWork

reports_api = APIBlueprint("reports", __name__, url_prefix="/api/v1/trips/<trip_id>", abp_security=[{"bearer": []}],
                           abp_responses=problem_responses(401, 403, 404, 422),
                           abp_tags=[Tag(name="reports", description="Reports after trips and their follow-ups")])


def serialize(report: Report) -> dict:
    return ReportOut.model_validate(report).model_dump(mode="json")


def event_data(trip: Trip, report: Report) -> dict:
    """As agreed with outreach: the follow-ups feed the plan, keyed by the report's and each follow-up's id."""
    body = serialize(report)
    countries = countries_of(trip)
    return {"id": report.id, "trip_id": trip.id, "title": trip.title, "countries": countries,
            "country": countries[0], "partner_id": trip.partner_id, "status": report.status,
            "outcomes": report.outcomes, "agreements": report.agreements, "follow_ups": body["follow_ups"],
            "coverage_count": len(report.coverage), "version": report.version}


def emit(uow: UnitOfWork, trip: Trip, report: Report, action: str, changes: dict) -> None:
    uow.session.flush()
    uow.emit(f"chancery.trips.report.{action}.v1", report.id, event_data(trip, report))
    uow.audit(f"report.{action}", "report", report.id, {"trip_id": trip.id, **changes})


def find_report(session: Session, trip_id: str) -> Report:
    report = session.scalar(select(Report).where(Report.trip_id == trip_id))
    if report is None:
        raise Problem(404, "Not found", f"Trip {trip_id} has no report yet", slug="not-found")
    return report


def report_response(report: Report, status: int = 200):
    return json_response(serialize(report), status, {"ETag": etag(report.version)})


def set_follow_ups(report: Report, follow_ups: list) -> None:
    """Keep the follow-ups whose id is sent (so outreach keeps its plan items), add the new, drop the rest."""
    existing = {item.id: item for item in report.follow_ups}
    kept = []
    for position, entry in enumerate(follow_ups):
        item = existing.get(entry.id) if entry.id else None
        if entry.id and item is None:
            raise invalid(f"follow_ups.{position}.id", f"no follow-up {entry.id} on this report")
        item = item or FollowUp()
        item.position, item.title, item.due_on, item.responsible_body = (
            position, entry.title, entry.due_on, entry.responsible_body)
        kept.append(item)
    report.follow_ups = kept


@reports_api.post("/report", summary="Write the report after a trip (approved or closed)",
                  responses={201: ReportOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_report(path: TripPath, body: ReportIn):
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        try:
            check_reportable(TripStatus(trip.status))
        except TripNotReportable as error:
            raise Problem(409, "Not yet", str(error), slug="illegal-transition",
                          allowed_actions=allowed_actions(error.status)) from error
        if uow.session.scalar(select(Report.id).where(Report.trip_id == trip.id)):
            raise Problem(409, "Already written", "This trip has a report; change it with PATCH", slug="conflict")
        report = Report(trip_id=trip.id, outcomes=body.outcomes, agreements=body.agreements, follow_ups=[],
                        coverage=[item.model_dump(mode="json") for item in body.coverage],
                        status=ReportStatus.DRAFT.value, version=1, created_by=uow.actor)
        set_follow_ups(report, body.follow_ups)
        uow.session.add(report)
        emit(uow, trip, report, "drafted", body.model_dump(mode="json"))
        return created(uow, serialize(report), f"/api/v1/trips/{trip.id}/report", report.version)


@reports_api.get("/report", summary="Read the report after a trip", responses={200: ReportOut})
@allow(*READERS)
def get_report(path: TripPath):
    with read_only() as session:
        return report_response(find_report(session, path.trip_id))


@reports_api.patch("/report", summary="Change a draft report (send If-Match)",
                   responses={200: ReportOut, **problem_responses(409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_report(path: TripPath, body: ReportUpdate):
    changes = body.model_dump(exclude_unset=True)
    with unit_of_work() as uow:
        trip = find_trip(uow.session, path.trip_id)
        report = find_report(uow.session, trip.id)
        require_fresh(report.version)
        if not changes:
            return report_response(report)
        try:
            check_editable(ReportStatus(report.status))
        except NotEditable as error:
            raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                          allowed_actions=error.allowed) from error
        for name in ("outcomes", "agreements"):
            if name in changes:
                setattr(report, name, changes[name])
        if body.coverage is not None:
            report.coverage = [item.model_dump(mode="json") for item in body.coverage]
        if body.follow_ups is not None:
            set_follow_ups(report, body.follow_ups)
        report.version += 1
        emit(uow, trip, report, "updated", body.model_dump(mode="json", exclude_unset=True))
        return report_response(report)


def _transition_view(action: str):
    def transition(path: TripPath, body: TransitionRequest):
        with unit_of_work() as uow:
            trip = find_trip(uow.session, path.trip_id)
            report = find_report(uow.session, trip.id)
            require_fresh(report.version)
            try:
                target = next_status(ReportStatus(report.status), action)
            except IllegalTransition as error:
                raise Problem(409, "Transition not allowed", str(error), slug="illegal-transition",
                              allowed_actions=error.allowed) from error
            report.status, report.version = target.value, report.version + 1
            report.submitted_at = utcnow() if target == ReportStatus.SUBMITTED else report.submitted_at
            emit(uow, trip, report, EVENT_ACTION[action], {"status": target.value, "reason": body.reason})
            return report_response(report)

    transition.__name__ = f"{action}_report"
    return transition


SUMMARIES = {"submit": "Submit the report: its follow-ups go to the annual plan (outreach)",
             "revise": "Take a submitted report back to draft to correct it; submit it again after"}
for _action in TRANSITIONS:
    reports_api.post(f"/report/{_action}", summary=SUMMARIES[_action],
                     responses={200: ReportOut, **problem_responses(409, 412, *BODY_PROBLEMS)})(
        allow(*TRAVEL)(_transition_view(_action)))
