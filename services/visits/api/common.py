"""What every visits view needs: finding records, answering with an ETag, domain errors as problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app
from pydantic import BaseModel
from sqlalchemy.orm import Session

from services.visits.domain.delegation import DelegationClosed, ensure_open
from services.visits.domain.visit import VisitStatus
from services.visits.store.models import Visit
from shared.documents import DocumentTemplates
from shared.http.problems import Problem
from shared.http.resources import etag, inline_file, json_response
from shared.uow import UnitOfWork

READERS = ("protocol", "mayor-office")
WRITERS = ("protocol",)
BODY_PROBLEMS = (400, 413, 415)
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def find(session: Session, model: type, record_id: str, label: str, **belongs_to: str) -> Any:
    """The record, or 404; `belongs_to` (e.g. visit_id=...) must match too, so ids cannot cross visits."""
    record = session.get(model, record_id)
    if record is None or any(getattr(record, name) != value for name, value in belongs_to.items()):
        raise Problem(404, "Not found", f"No {label} {record_id}", slug="not-found")
    return record


def find_visit(session: Session, visit_id: str) -> Visit:
    return find(session, Visit, visit_id, "visit")


def record_response(schema: type[BaseModel], record: Any, status: int = 200):
    return json_response(schema.model_validate(record).model_dump(mode="json"), status,
                         {"ETag": etag(record.version)})


def invalid(field: str, message: str) -> Problem:
    return Problem(422, "The request is not valid", message, slug="validation",
                   errors=[{"field": field, "message": message}])


def open_visit(uow: UnitOfWork, visit_id: str) -> Visit:
    """The visit, if its delegation and programme may still change; 409 once it is completed or cancelled."""
    visit = find_visit(uow.session, visit_id)
    try:
        ensure_open(VisitStatus(visit.status))
    except DelegationClosed as error:
        raise Problem(409, "The visit is closed", str(error), slug="visit-closed",
                      visit_status=error.status.value) from error
    return visit


def pdf_response(template: str, language: str, context: dict[str, Any], *, title: str, filename: str) -> Response:
    """A document of services/visits/templates rendered to PDF in `language` (docs/decisions/0006)."""
    font_dir = current_app.extensions["chancery"].settings.font_dir
    pdf = DocumentTemplates(TEMPLATES_DIR, font_dir).render_pdf(template, language, context, title=title)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": inline_file(filename), "Cache-Control": "no-store"})
