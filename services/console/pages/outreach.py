"""Outreach at the console: its registers (partners and twin cities, campaigns, surveys, missions, organisations,
offices abroad, compatriot programmes, societies and NGOs, export promotion), each a list, a form and a record page
with the lists hanging off it, as `pages/outreach_registers.py` declares them (decision 0116), their entries
changed in place and records' dated events added and removed (decision 0185); a contact's e-mail and phone
revealed by a deliberate click, which the API audits; a survey's results uploaded as a CSV file with each
bad row's problems beside it. The plan, monitoring and analytics are in `pages/outreach_plan.py`."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.console.charts import Chart, bars
from services.console.export import export
from services.console.formatting import date_short
from services.console.forms import FormState, body_of, refusal, stale, typed
from services.console.pages.outreach_registers import (
    EVENT_FIELDS,
    KIND_NAMES,
    PERSONAL_DATA_READERS,
    READERS,
    REGISTERS,
    WRITERS,
    Child,
    Input,
    Register,
)
from services.console.problems import problem_message
from services.console.upstream import Answer
from services.console.web import call, has_role, page_asked, read_all, refuse_expired, signed_in

outreach_pages = Blueprint("outreach", __name__)
PAGE_SIZE = 25
ALL = 200
SOURCES = {"visits": lazy_gettext("Visits"), "trips": lazy_gettext("Trips"), "contracts": lazy_gettext("Contracts")}
MAX_UPLOAD_ROWS = 2000  # shown back beside their problems; the API takes up to its own size limit


@outreach_pages.app_template_filter("outreach_cell")
def outreach_cell(value) -> str:
    """A value of a list's column or a record's field as the page shows it."""
    if isinstance(value, date):
        return date_short(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


@outreach_pages.app_template_filter("kind_name")
def kind_name(code) -> str:
    return str(KIND_NAMES.get(code, code)) if code else ""


@outreach_pages.app_template_filter("local_names")
def local_names(names) -> str:
    """A partner's names in other languages as its form shows them: `bg: София`, one per line."""
    return "\n".join(f"{one['language']}: {one['name']}" for one in names or ())


@outreach_pages.app_template_filter("timeline_source")
def timeline_source(code: str) -> str:
    return str(SOURCES.get(code, code))


@outreach_pages.app_template_filter("fields_of")
def fields_of(record: dict, inputs: tuple[Input, ...]) -> dict:
    """The record's fields a form shows, as it showed them (`was_<field>`, to name what changed after a 412)."""
    return {one.name: local_names(record.get(one.name)) if one.kind == "names" else record.get(one.name)
            for one in inputs}


def _register(name: str) -> Register:
    if name not in REGISTERS:
        abort(404)
    if not has_role(*READERS):
        abort(403)
    return REGISTERS[name]


def _writable(name: str) -> Register:
    """A register whose creating form is offered: to the roles the API lets write only (it still decides)."""
    spec = _register(name)
    if not has_role(*WRITERS):
        abort(403)
    return spec


def _child(register: Register, name: str) -> Child:
    child = next((child for child in register.children if child.name == name), None)
    if child is None:
        abort(404)
    return child


def form_values(inputs: tuple[Input, ...]) -> tuple[dict, dict]:
    """What the person typed, and the API body it makes: blanks of optional fields left out, lists split, whole
    numbers as numbers."""
    values = typed(tuple(one.name for one in inputs))
    body = body_of(values, tuple(one.name for one in inputs if one.optional))
    for one in inputs:
        if one.name in body and one.kind == "list":
            body[one.name] = [part.strip() for part in body[one.name].split(",") if part.strip()]
        elif one.name in body and one.kind == "number" and body[one.name].lstrip("-").isdigit():
            body[one.name] = int(body[one.name])
    return values, body


def send(method: str, path: str, body: dict | None = None, version: str | None = None) -> Answer:
    return refuse_expired(call(method, "outreach", path, json=body,
                               headers={"If-Match": f'"{version}"'} if version else None))


@outreach_pages.get("/outreach")
@signed_in
def home():
    return redirect(url_for("outreach.register_list", register="partners"))


@outreach_pages.get("/outreach/<register>")
@signed_in
def register_list(register: str):
    spec = _register(register)
    filters, sort = _filters(spec), _sort(spec)
    answer = refuse_expired(call("GET", "outreach", spec.path, params={
        **filters, "sort": sort, **page_asked(), "page_size": PAGE_SIZE}))
    template = "outreach/_rows.html" if request.headers.get("HX-Request") else "outreach/list.html"
    return render_template(template, register=spec, answer=answer, filters=filters, sort=sort,
                           here={**filters, "sort": sort}, writes=has_role(*WRITERS), registers=REGISTERS)


def _filters(spec: Register) -> dict[str, str]:
    return {one.name: request.args.get(one.name, "").strip() for one in spec.filters}


def _sort(spec: Register) -> str:
    asked = request.args.get("sort")
    return asked if asked in spec.sorts else next(iter(spec.sorts))


@outreach_pages.get("/outreach/<register>/export/<file_format>")
@signed_in
def export_register(register: str, file_format: str):
    spec = _register(register)
    return export(spec.listing, file_format, {**_filters(spec), "sort": _sort(spec)})


@outreach_pages.get("/outreach/<register>/new")
@signed_in
def new_record(register: str):
    return render_template("outreach/new.html", register=_writable(register), form=FormState(), registers=REGISTERS)


@outreach_pages.post("/outreach/<register>/new")
@signed_in
def create_record(register: str):
    spec = _writable(register)
    values, body = form_values(spec.fields)
    answer = send("POST", spec.path, spec.shape(body) if spec.shape else body)
    if answer.ok:
        return redirect(url_for("outreach.record", register=register, record_id=answer.body["id"]))
    return render_template("outreach/new.html", register=spec, form=refusal(answer, values),
                           registers=REGISTERS), 422


@outreach_pages.get("/outreach/<register>/<record_id>")
@signed_in
def record(register: str, record_id: str):
    return _record_page(_register(register), record_id)


def _record_page(spec: Register, record_id: str, forms: dict[str, FormState] | None = None,
                 revealed: dict[str, dict] | None = None, upload: dict | None = None):
    answers = read_all(record=("outreach", f"{spec.path}/{record_id}"), **spec.extra_reads(record_id), **{
        f"child-{child.name}": ("outreach", child.path.format(id=record_id),
                                {**child.read_params(record_id), "page_size": ALL}) for child in spec.children})
    if answers["record"].status in (404, 422):
        abort(404)
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template(spec.template, register=spec, record_id=record_id, answers=answers, forms=forms,
                           record=answers["record"].body if answers["record"].ok else None,
                           revealed=revealed or {}, upload=upload, writes=has_role(*WRITERS),
                           reveals=has_role(*PERSONAL_DATA_READERS), registers=REGISTERS, event_fields=EVENT_FIELDS,
                           charts=_summary_charts(answers.get("summary"))), status


@outreach_pages.post("/outreach/<register>/<record_id>/edit")
@signed_in
def edit_record(register: str, record_id: str):
    spec = _register(register)
    values, body = form_values(spec.fields)
    answer = send("PATCH", f"{spec.path}/{record_id}", spec.shape(body) if spec.shape else body,
                   request.form.get("version", ""))
    if answer.ok:
        return redirect(url_for("outreach.record", register=register, record_id=record_id))
    if answer.status == 412:
        return _record_page(spec, record_id, {"edit": stale(f"{spec.path}/{record_id}", values,
                                                            service="outreach")})
    return _record_page(spec, record_id, {"edit": refusal(answer, values)})


@outreach_pages.post("/outreach/<register>/<record_id>/<child>/add")
@signed_in
def add_entry(register: str, record_id: str, child: str):
    spec = _register(register)
    part = _child(spec, child)
    values, body = form_values(part.fields)
    body = {**(part.shape(body) if part.shape else body), **part.read_params(record_id)}
    answer = send("POST", part.path.format(id=record_id), body)
    if answer.ok:
        return redirect(url_for("outreach.record", register=register, record_id=record_id) + f"#{child}")
    return _record_page(spec, record_id, {f"add-{child}": refusal(_placed(answer, part), values)})


@outreach_pages.post("/outreach/<register>/<record_id>/<child>/<entry_id>/<change>")
@signed_in
def change_entry(register: str, record_id: str, child: str, entry_id: str, change: str):
    """Reveal a person's e-mail and phone (the API's unmasked read, which it audits), change an entry, remove one,
    or take one of the actions the API names as allowed (with the reason some need)."""
    spec = _register(register)
    part = _child(spec, child)
    entry = f"{part.path.format(id=record_id)}/{entry_id}"
    if change == "change" and part.changes:
        return _change_entry(spec, part, record_id, entry_id, entry)
    if change == "events" and part.events:
        return _change_events(spec, record_id, entry, part.events, f"events-{entry_id}", part.name)
    if change == "reveal" and part.person:
        shown = send("GET", entry)
        if shown.ok:
            return _record_page(spec, record_id, revealed={entry_id: shown.body})
        return _record_page(spec, record_id, {f"reveal-{entry_id}": refusal(shown, {})})
    if change == "remove" and part.removable:
        answer = send("DELETE", entry, version=request.form.get("version", ""))
    elif change in part.actions:
        reason = request.form.get("reason", "").strip()
        answer = send("POST", f"{entry}/{change}", {"reason": reason} if reason else {},
                       request.form.get("version", ""))
    else:
        abort(404)
    if answer.ok:
        return redirect(url_for("outreach.record", register=register, record_id=record_id) + f"#{child}")
    refused = refusal(_placed(answer, part), {"reason": ""})
    texts = {name: text for name, text in refused.errors.items() if name in {one.name for one in part.changes}}
    if not texts:
        return _record_page(spec, record_id, {f"{change}-{entry_id}": refused})
    # What the step lacks is a field of the entry's change form (a material's language): said beside it there.
    return _record_page(spec, record_id, {
        f"{change}-{entry_id}": FormState(message=problem_message(answer) or _("The change was refused.")),
        f"change-{entry_id}": FormState(errors=texts)})


@outreach_pages.post("/outreach/<register>/<record_id>/events")
@signed_in
def record_events(register: str, record_id: str):
    spec = _register(register)
    if not spec.events:
        abort(404)
    return _change_events(spec, record_id, f"{spec.path}/{record_id}", spec.events, "events", "events")


def _change_events(spec: Register, record_id: str, path: str, name: str, key: str, anchor: str):
    """An event added to a record's (or an entry's) events, or the one at `remove` taken out: the API takes the
    list whole, so it is read again and sent with the version the page showed as If-Match (a change meanwhile is
    a 412, not lost)."""
    values: dict = {}
    current = send("GET", path)
    events = list(current.body.get(name) or []) if current.ok else []
    index = request.form.get("remove", type=int)
    if index is not None:
        key = f"{key}-remove-{index}"
        events = [event for number, event in enumerate(events) if number != index]
    else:
        key = f"{key}-add"
        values, event = form_values(EVENT_FIELDS)
        events.append(event)
    answer = send("PATCH", path, {name: events}, request.form.get("version", "")) if current.ok else current
    if answer.ok:
        return redirect(url_for("outreach.record", register=spec.name, record_id=record_id) + f"#{anchor}")
    if answer.status == 412:
        return _record_page(spec, record_id, {key: FormState(values, message=_(
            "Someone changed this meanwhile. What you typed is kept below; check it and send again."))})
    return _record_page(spec, record_id, {key: refusal(answer, values)})


def _change_entry(spec: Register, part: Child, record_id: str, entry_id: str, entry: str):
    """An entry's fields changed with If-Match; a person's e-mail and phone only when typed (the form shows them
    blank, never masked values sent back)."""
    values, body = form_values(part.changes)
    answer = send("PATCH", entry, part.shape(body) if part.shape else body, request.form.get("version", ""))
    if answer.ok:
        return redirect(url_for("outreach.record", register=spec.name, record_id=record_id) + f"#{part.name}")
    if answer.status == 412:  # a person is read again from the list, masked: reading one is an audited reveal
        changed = stale(part.path.format(id=record_id), values, entry_id, service="outreach") if part.person \
            else stale(entry, values, service="outreach", shown=part.shown)
        return _record_page(spec, record_id, {f"change-{entry_id}": changed})
    return _record_page(spec, record_id, {f"change-{entry_id}": refusal(_placed(answer, part), values)})


def _placed(answer: Answer, part: Child) -> Answer:
    """The API's refusal with each error naming the form's field (`texts.bg.body` is `body_bg`)."""
    errors = answer.problem.get("errors")
    if not (part.field_of and errors):
        return answer
    return replace(answer, body={**answer.body, "errors": [
        # An error without a rule whose message is one (a language `missing` for review) is translated as the rule.
        {**error, "field": part.field_of(str(error.get("field", ""))),
         "code": error.get("code") or error.get("message")} for error in errors]})


# --- a survey's results, uploaded as a CSV file ---

@outreach_pages.post("/outreach/surveys/<record_id>/results")
@signed_in
def upload_results(record_id: str):
    spec = _register("surveys")
    upload = request.files.get("results")
    text = _read_upload(upload.read() if upload else b"")
    if text is None:
        return _record_page(spec, record_id, {"results": FormState(message=_(
            "Choose a CSV file saved as UTF-8."))})
    answer = send("POST", f"/surveys/{record_id}/results", {"csv": text})
    if answer.ok:
        return redirect(url_for("outreach.record", register="surveys", record_id=record_id,
                                imported=answer.body["imported"]) + "#summary")
    if answer.problem.get("type", "").endswith("/bad-rows"):
        return _record_page(spec, record_id, {"results": refusal(answer, {})},
                            upload=_rows_with_problems(text, answer.problem.get("errors") or []))
    return _record_page(spec, record_id, {"results": refusal(answer, {"results": ""})})


def _read_upload(content: bytes) -> str | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


def _rows_with_problems(text: str, errors: list[dict]) -> dict:
    """The uploaded file as a table, each row numbered as a spreadsheet numbers it (the header is row 1) with the
    problems the API found in it, and which of its cells they name."""
    rows = list(csv.reader(io.StringIO(text)))[:MAX_UPLOAD_ROWS]
    by_row: dict[int, list[dict]] = {}
    for error in errors:
        by_row.setdefault(int(error.get("row") or 0), []).append(error)
    header = rows[0] if rows else []
    return {"header": header, "rows": [
        {"number": number, "cells": cells, "problems": by_row.get(number, []),
         "bad": {str(error.get("column")) for error in by_row.get(number, [])}}
        for number, cells in enumerate(rows[1:], start=2)],
        "elsewhere": [error for number, found in by_row.items() if number < 2 or number > len(rows)
                      for error in found]}


def _summary_charts(summary: Answer | None) -> list[Chart]:
    """A chart of each question's answers: how many chose each option, or a scale's and a number's figures."""
    if summary is None or not summary.ok:
        return []
    charts = []
    for question in summary.body["questions"]:
        if question.get("options") is not None:
            charts.append(bars(question["text"], [_("Option"), _("Answers")],
                               [(option["option"], option["count"]) for option in question["options"]]))
        elif question.get("mean") is not None:
            charts.append(bars(question["text"], [_("Figure"), _("Value")], [
                (_("mean"), question["mean"]), (_("median"), question["median"]),
                (_("lowest"), question["minimum"]), (_("highest"), question["maximum"])], shown="{:.2f}"))
    return charts
