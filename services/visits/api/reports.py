"""The report after a visit: outcome, agreements reached, follow-ups with owners and due dates; submitted, its
follow-ups become items of outreach's consolidated plan (docs/decisions/0155)."""

from __future__ import annotations

from flask import Response, request

from services.visits.api.common import READERS, WRITERS
from services.visits.api.report_schemas import ReportIn, ReportOut, ReportUpdate
from services.visits.api.visit_schemas import VisitPath
from services.visits.domain.report import VISIT_REPORT_LIFECYCLE
from services.visits.operations import reports as operations
from services.visits.store.models import VisitReport
from shared.http.problems import problem_responses
from shared.http.records import BODY_PROBLEMS, TransitionRequest, if_match
from shared.http.resources import created
from shared.http.views import Resource, blueprint, changes
from shared.http.work import read_only, unit_of_work

reports_api = blueprint("visit_reports", __name__, "The report after a visit and its follow-ups", tag="visit reports")

REPORT = Resource(reports_api, "/visits/<visit_id>/report", "visit_id", VisitReport, ReportOut, READERS, WRITERS,
                  label="visit report")


def write_report(path: VisitPath, body: ReportIn) -> Response:
    with unit_of_work() as uow:
        report = operations.write_report(uow, path.visit_id, body.model_dump(), body.model_dump(mode="json"))
        return created(uow, REPORT.data(report), request.path, report.version)


def read_report(path: VisitPath) -> Response:
    with read_only() as session:
        return REPORT.answer(operations.find_report(session, path.visit_id))


REPORT.route("post", REPORT.collection, "write_visit_report", "Write the report after a visit (once it has begun)",
             {201: ReportOut, **problem_responses(404, 409, *BODY_PROBLEMS)}, WRITERS, write_report, once=True,
             path=VisitPath, body=ReportIn)
REPORT.route("get", REPORT.collection, "get_visit_report", "Read the report after a visit",
             {200: ReportOut, **problem_responses(404)}, READERS, read_report, path=VisitPath)
REPORT.write("patch", REPORT.collection, "update_visit_report", "Change a draft report (send If-Match)",
             changes(operations.update_report), path=VisitPath, body=ReportUpdate, problems=(404, 409, 412))

SUMMARIES = {"submit": "Submit the report: its follow-ups become items of the annual plan (outreach)",
             "revise": "Take a submitted report back to draft to correct it; submit it again after"}
for _action in VISIT_REPORT_LIFECYCLE.transitions:
    REPORT.write("post", f"{REPORT.collection}/{_action}", f"{_action}_visit_report", SUMMARIES[_action],
                 lambda uow, ids, body, action=_action: operations.move_report(uow, *ids, action, body.reason,
                                                                              if_match()),
                 path=VisitPath, body=TransitionRequest, problems=(404, 409, 412))
