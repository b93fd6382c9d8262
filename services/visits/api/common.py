"""What the visits views share that is this service's own: who reads and writes, today for what falls overdue,
what starts within given days, and its documents as PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from flask import Response
from sqlalchemy import Select

from shared.documents import DocumentTemplates
from shared.http.resources import inline_file
from shared.http.work import runtime

READERS = ("protocol", "mayor-office")
WRITERS = ("protocol",)
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def today() -> date:
    """Today by the service's clock, which tests may freeze (ServiceRuntime.clock)."""
    return runtime().clock().date()


def pdf_response(template: str, language: str, context: dict[str, Any], *, title: str, filename: str) -> Response:
    """A document of services/visits/templates rendered to PDF in `language` (docs/decisions/0006)."""
    font_dir = runtime().settings.font_dir
    pdf = DocumentTemplates(TEMPLATES_DIR, font_dir).render_pdf(template, language, context, title=title)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": inline_file(filename), "Cache-Control": "no-store"})


def starting_in(column: Any) -> Callable[[Select, Any], Select]:
    """A listing narrowed to what starts within the query's `on_or_after` and `before` days (UTC)."""
    def narrow(statement: Select, query: Any) -> Select:
        if query.on_or_after:
            statement = statement.where(column >= datetime.combine(query.on_or_after, time(tzinfo=UTC)))
        if query.before:
            statement = statement.where(column < datetime.combine(query.before, time(tzinfo=UTC)))
        return statement
    return narrow
