"""The consolidated annual plan at the console: its items (filters, sort, pages, export), their progress and
lifecycle, the versions submitted to the mayor's office and its decision, and monitoring drawn as charts with
their figures as tables (decision 0115); and the analytics page with the annual report in the chosen language."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import format_date, lazy_gettext
from flask_babel import gettext as _

from services.console.charts import Chart, bars, stacked_by_month, timeline
from services.console.export import Listing, date_column, export, status_column, text_column
from services.console.formatting import ORIGIN_NAMES, STATUS_NAMES
from services.console.forms import FormState, refusal
from services.console.pages.outreach import form_values, send
from services.console.pages.outreach_registers import READERS, REGISTERS, WRITERS, Input
from services.console.upstream import Answer
from services.console.web import has_role, page_asked, pass_document, read_all, signed_in

plan_pages = Blueprint("outreach_plan", __name__)
DECIDERS = ("mayor-office",)
PAGE_SIZE = 25
ITEM_STATUSES = ("planned", "in_progress", "done", "cancelled")
ITEM_ACTIONS = ("start", "complete", "cancel", "reopen", "restore", "progress")
VERSION_ACTIONS = ("approve", "reject")
FILTERS = ("status", "department", "source", "responsible_body", "overdue")
# Where an item came from (decisions 0041, 0135, 0155): the kinds its `origin` names, or none.
SOURCES = {"manual": lazy_gettext("entered by hand"), **ORIGIN_NAMES}
SORTS = {"due_on": lazy_gettext("earliest due first"), "-due_on": lazy_gettext("latest due first"),
         "responsible_body": lazy_gettext("responsible"), "status": lazy_gettext("status"),
         "-progress": lazy_gettext("most progress first")}
ITEMS = Listing("plan", "outreach", "/plan-items", (
    text_column("activity", lazy_gettext("Activity")), text_column("responsible_body", lazy_gettext("Responsible")),
    date_column("starts_on", lazy_gettext("Starts")), date_column("due_on", lazy_gettext("Due")),
    status_column("status", lazy_gettext("Status")), text_column("progress", lazy_gettext("Per cent done")),
    status_column("source", lazy_gettext("From"), SOURCES)))
ITEM_FIELDS = (Input("activity", lazy_gettext("Activity")), Input("responsible_body", lazy_gettext("Responsible")),
               Input("starts_on", lazy_gettext("Starts on"), "date", optional=True),
               Input("due_on", lazy_gettext("Due on"), "date"),
               Input("budget_amount", lazy_gettext("Budget"), optional=True),
               Input("budget_currency", lazy_gettext("Currency (such as EUR)"), optional=True))
TIMELINE_ITEMS = 40


# Where an item's source is at the console: its path in its service's API (`origin.href`, decision 0155) without
# the API's prefix names the console's page of the record; an agreement's is under procurement.
CONSOLE_PREFIX = {"agreements": "/procurement"}


@plan_pages.app_template_filter("origin_page")
def origin_page(origin: dict | None) -> str | None:
    """The console's page of the record a plan item came from, or None when its service gave no link."""
    href = (origin or {}).get("href") or ""
    if not href.startswith("/api/v1/"):
        return None
    path = href.removeprefix("/api/v1")
    return request.script_root + CONSOLE_PREFIX.get(path.split("/")[1], "") + path


def _year() -> int:
    asked = request.args.get("year", type=int)
    return asked if asked and 2000 <= asked <= 2100 else date.today().year


def _year_in_path(text: str) -> int:
    """A year in a form's address: digits of a year the plan may have, or 404."""
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        abort(404)
    return int(text)


def _item_filters(year: int) -> dict:
    return {"year": year, **{name: request.args.get(name, "") for name in FILTERS}}


def _sort() -> str:
    return request.args.get("sort") if request.args.get("sort") in SORTS else "due_on"


@plan_pages.get("/outreach/plan")
@signed_in
def plan():
    if not has_role(*READERS):
        abort(403)
    return _plan_page(_year())


def _plan_page(year: int, forms: dict[str, FormState] | None = None):
    filters, sort = _item_filters(year), _sort()
    answers = read_all(plan_items=("outreach", "/plan-items", {**filters, "sort": sort, **page_asked(),
                                                          "page_size": PAGE_SIZE}),
                       year_items=("outreach", "/plan-items", {"year": year, "page_size": 200, "sort": "due_on"}),
                       monitoring=("outreach", f"/plans/{year}/monitoring"),
                       versions=("outreach", f"/plans/{year}/versions", {"page_size": 20}))
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    template = "outreach/_plan_rows.html" if request.headers.get("HX-Request") else "outreach/plan.html"
    return render_template(template, year=year, answers=answers, filters=filters, sort=sort, sorts=SORTS,
                           here={**filters, "sort": sort}, statuses=ITEM_STATUSES, forms=forms,
                           sources=SOURCES,
                           charts=_plan_charts(year, answers["monitoring"], answers["year_items"]),
                           item_fields=ITEM_FIELDS, writes=has_role(*WRITERS), decides=has_role(*DECIDERS),
                           registers=REGISTERS), status


@plan_pages.get("/outreach/plan/export/<file_format>")
@signed_in
def export_plan(file_format: str):
    return export(ITEMS, file_format, {**_item_filters(_year()), "sort": _sort()})


def _plan_charts(year: int, monitoring: Answer, items: Answer) -> list[Chart]:
    charts = []
    if monitoring.ok:
        bodies = monitoring.body["by_responsible_body"]
        charts.append(bars(_("Progress per responsible body (average, per cent)"),
                           [_("Responsible"), _("Average per cent done")],
                           [(row["responsible_body"], round(row["average_progress"] or 0)) for row in bodies],
                           most=100))
    if items.ok:
        months = [format_date(date(year, month, 1), "LLLL") for month in range(1, 13)]
        counts: dict[tuple[int, str], int] = {}
        for item in items.items:
            key = (date.fromisoformat(item["due_on"]).month, item["status"])
            counts[key] = counts.get(key, 0) + 1
        series = {code: str(STATUS_NAMES.get(code, code)) for code in ITEM_STATUSES}
        charts.append(stacked_by_month(_("Items by status, by the month they are due"),
                                       [_("Month"), *series.values()], months, series, counts))
        shown = items.items[:TIMELINE_ITEMS]
        charts.append(timeline(_("Timeline of the year's items"), [_("Activity"), _("Starts"), _("Due"),
                                                                   _("Status")], year,
                               [(item["activity"], date.fromisoformat(item["starts_on"] or item["due_on"]),
                                 date.fromisoformat(item["due_on"]), str(STATUS_NAMES.get(item["status"],
                                                                                           item["status"])))
                                for item in shown]))
    return charts


def _change(year: str, path: str, key: str, fields: tuple[Input, ...], anchor: str):
    """A form of the plan's page sent to `path` (with If-Match when it names a version); back to the plan, or the
    plan again with the refusal beside the form `key`."""
    number = _year_in_path(year)
    values, body = form_values(fields)
    answer = send("POST", path, body, request.form.get("version"))
    if answer.ok:
        return redirect(url_for("outreach_plan.plan", year=number) + anchor)
    return _plan_page(number, {key: refusal(answer, values)})


def _optional(*names: str) -> tuple[Input, ...]:
    return tuple(Input(name, name, "number" if name == "progress" else "text", optional=True) for name in names)


@plan_pages.post("/outreach/plan/<year>/add")
@signed_in
def add_item(year: str):
    return _change(year, "/plan-items", "add", ITEM_FIELDS, "#items")


@plan_pages.post("/outreach/plan/<year>/items/<item_id>/<action>")
@signed_in
def item_action(year: str, item_id: str, action: str):
    if action not in ITEM_ACTIONS:
        abort(404)
    fields = _optional("progress", "note") if action == "progress" else _optional("reason")
    return _change(year, f"/plan-items/{item_id}/{action}", f"{action}-{item_id}", fields, f"#item-{item_id}")


@plan_pages.post("/outreach/plan/<year>/versions")
@signed_in
def submit_version(year: str):
    return _change(year, f"/plans/{_year_in_path(year)}/versions", "submit", _optional("note"), "#versions")


@plan_pages.post("/outreach/plan/<year>/versions/<version_id>/<action>")
@signed_in
def decide_version(year: str, version_id: str, action: str):
    if action not in VERSION_ACTIONS:
        abort(404)
    return _change(year, f"/plan-versions/{version_id}/{action}", f"{action}-{version_id}", _optional("reason"),
                   "#versions")


# --- analytics and the annual report ---

@plan_pages.get("/outreach/analytics")
@signed_in
def analytics():
    if not has_role(*READERS):
        abort(403)
    year = _year()
    answer = read_all(figures=("outreach", "/analytics", {"year": year}))["figures"]
    return render_template("outreach/analytics.html", year=year, answer=answer, charts=_analytics_charts(answer),
                           registers=REGISTERS)


def _analytics_charts(answer: Answer) -> list[Chart]:
    if not answer.ok:
        return []
    figures = answer.body
    return [bars(_("Incoming visits by country"), [_("Country"), _("Visits")],
                 [(row["country"], row["visits"]) for row in figures["visits_per_country"]]),
            bars(_("Business trips abroad by destination"), [_("Country"), _("Trips")],
                 [(row["country"], row["trips"]) for row in figures["trips_per_destination"]]),
            bars(_("Plan items done (per cent of those not cancelled)"), [_("Year"), _("Done, per cent")],
                 [(str(row["year"]), round(100 * (row["completion"] or 0))) for row in figures["plan_completion"]],
                 most=100)]


@plan_pages.get("/outreach/annual-report/<year>/<language>")
@signed_in
def annual_report(year: str, language: str):
    _year_in_path(year)
    if language not in ("en", "ru", "bg"):
        abort(404)
    return pass_document("outreach", f"/analytics/annual-report?year={year}&language={language}")
