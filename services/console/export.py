"""Every list exported as CSV or XLSX (decision 0098): exactly the rows its filters select, every page of them,
with its column headers in the person's language. A selection of more than MAX_EXPORT_ROWS is refused with a
request to narrow the filters, never cut short without saying so."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Response, abort, render_template
from flask_babel import gettext as _

from services.console.formatting import STATUS_NAMES
from services.console.upstream import Answer
from services.console.web import call, read_all, refuse_expired
from shared.http.resources import MAX_PAGE_SIZE

MAX_EXPORT_ROWS = 10_000
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# A cell starting with one of these is a formula to a spreadsheet: a delegation named "=HYPERLINK(…)" stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy_gettext text, read in the person's language when the file is written
    value: Callable[[dict], Any]


def text_column(name: str, header: Any) -> Column:
    return Column(header, lambda row: row.get(name))


def date_column(name: str, header: Any) -> Column:
    """An ISO date, written as a date (XLSX) or as ISO 8601 (CSV)."""
    return Column(header, lambda row: date.fromisoformat(row[name]) if row.get(name) else None)


def status_column(name: str, header: Any, names: dict = STATUS_NAMES) -> Column:
    """A status in the person's language, as the list shows it."""
    def named(row: dict) -> str:
        code = str(row.get(name) or "")
        return str(names.get(code, code))
    return Column(header, named)


@dataclass(frozen=True)
class Listing:
    """A list the console shows: the API call behind it and the columns its export holds."""

    name: str  # the file's name, before the date and the extension
    service: str
    path: str
    columns: tuple[Column, ...]


def export(listing: Listing, file_format: str, params: dict) -> Response:
    """The whole selection `params` make of `listing`, as a file in `file_format`."""
    if file_format not in FORMATS:
        abort(404)
    rows = _every_row(listing, params)
    if isinstance(rows, Response):
        return rows
    table = [[column.value(row) for column in listing.columns] for row in rows]
    headers = [str(column.header) for column in listing.columns]
    content = _csv(headers, table) if file_format == "csv" else _xlsx(headers, table)
    filename = f"{listing.name}-{date.today().isoformat()}.{file_format}"
    return Response(content, content_type=FORMATS[file_format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _every_row(listing: Listing, params: dict) -> list[dict] | Response:
    first = refuse_expired(call("GET", listing.service, listing.path,
                                params={**params, "page": 1, "page_size": MAX_PAGE_SIZE}))
    if not first.ok:
        return _refused(first)
    total = int(first.body.get("total", 0))
    if total > MAX_EXPORT_ROWS:
        return _refusal(422, _("%(total)s rows match the filters; an export holds at most %(most)s. Narrow the "
                               "filters and export again.", total=total, most=MAX_EXPORT_ROWS))
    pages = range(2, (total + MAX_PAGE_SIZE - 1) // MAX_PAGE_SIZE + 1)
    rest = read_all(**{f"page{page}": (listing.service, listing.path,
                                       {**params, "page": page, "page_size": MAX_PAGE_SIZE}) for page in pages})
    refused = next((answer for answer in rest.values() if not answer.ok), None)
    if refused is not None:
        return _refused(refused)
    return [*first.items, *(item for page in pages for item in rest[f"page{page}"].items)]


def _refused(answer: Answer) -> Response:
    if answer.status in (403, 404):
        abort(answer.status)
    if answer.unavailable:
        return _refusal(503, _("The list cannot be exported: the service does not answer right now."))
    return _refusal(answer.status, answer.problem.get("detail"))  # a filter the service refused, in its words


def _refusal(status_code: int, message: str | None) -> Response:
    return Response(render_template("error.html", status=status_code, message=message), status_code)


def _as_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(headers: list[str], table: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in table:
        writer.writerow([_as_text(value.isoformat() if isinstance(value, date) else value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: spreadsheets then read UTF-8, Cyrillic intact


def _xlsx(headers: list[str], table: list[list[Any]]) -> bytes:
    from openpyxl import Workbook  # about 8 MiB: only once someone exports a spreadsheet

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula; it was typed as text
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
