"""The report after a trip: written by travel staff, submitted for the annual plan (follow-ups to outreach)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_openapi3 import Tag

from services.trips.api.common import READERS, TRAVEL
from services.trips.api.departments import caller_scope
from services.trips.api.report_schemas import ReportIn, ReportOut, ReportUpdate
from services.trips.api.trip_schemas import TripPath
from services.trips.domain.report import REPORT_LIFECYCLE
from services.trips.operations.reports import find_report, move_report, write_report
from services.trips.operations.reports import update_report as update
from services.trips.operations.trips import find_trip
from services.trips.store.models import Report
from shared.http.auth import allow
from shared.http.openapi import LazyDocBlueprint
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match, record_response
from shared.http.resources import created, idempotent
from shared.http.work import read_only, unit_of_work

reports_api = LazyDocBlueprint("reports", __name__, url_prefix="/api/v1/trips/<trip_id>", abp_security=[{"bearer": []}],
                               abp_responses=problem_responses(401, 403, 404, 422),
                               abp_tags=[Tag(name="reports", description="Reports after trips and their follow-ups")])


def serialize(report: Report) -> dict:
    return ReportOut.model_validate(report).model_dump(mode="json")


def report_response(report: Report) -> Response:
    return record_response(serialize(report), report.version)


def as_kept(body: ReportIn | ReportUpdate, **options: Any) -> dict[str, Any]:
    """The fields of the body, the press coverage as the JSON it is kept as."""
    fields = body.model_dump(**options)
    if fields.get("coverage") is not None:
        fields["coverage"] = [item.model_dump(mode="json") for item in body.coverage or []]
    return fields


@reports_api.post("/report", summary="Write the report after a trip (approved or closed)",
                  responses={201: ReportOut, **problem_responses(409, *BODY_PROBLEMS)})
@allow(*TRAVEL)
@idempotent
def create_report(path: TripPath, body: ReportIn):
    with unit_of_work() as uow:
        report = write_report(uow, path.trip_id, as_kept(body), body.model_dump(mode="json"))
        return created(uow, serialize(report), f"/api/v1/trips/{report.trip_id}/report", report.version)


@reports_api.get("/report", summary="Read the report after a trip", responses={200: ReportOut})
@allow(*READERS)
def get_report(path: TripPath):
    with read_only() as session:
        find_trip(session, path.trip_id, caller_scope())
        return report_response(find_report(session, path.trip_id))


@reports_api.patch("/report", summary="Change a draft report (send If-Match)",
                   responses={200: ReportOut, **problem_responses(409, 412, *BODY_PROBLEMS)})
@allow(*TRAVEL)
def update_report(path: TripPath, body: ReportUpdate):
    with unit_of_work() as uow:
        report = update(uow, path.trip_id, as_kept(body, exclude_unset=True),
                               body.model_dump(mode="json", exclude_unset=True), if_match())
        return report_response(report)


def _transition_view(action: str):
    def transition(path: TripPath, body: TransitionRequest):
        with unit_of_work() as uow:
            return report_response(move_report(uow, path.trip_id, action, body.reason, if_match()))

    transition.__name__ = f"{action}_report"
    return transition


SUMMARIES = {"submit": "Submit the report: its follow-ups go to the annual plan (outreach)",
             "revise": "Take a submitted report back to draft to correct it; submit it again after"}
for _action in REPORT_LIFECYCLE.transitions:
    reports_api.post(f"/report/{_action}", summary=SUMMARIES[_action],
                     responses={200: ReportOut, **problem_responses(409, 412, *BODY_PROBLEMS)})(
        allow(*TRAVEL)(_transition_view(_action)))
