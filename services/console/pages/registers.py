"""The visits service's registers at the console (decision 0094): the interpreters, the rank table, a function's
press accreditations and a meeting's minutes with their revisions. Each is a page whose reads run in parallel;
each form posts to its page's change route, which sends it as `CHANGES` says (If-Match where the record has a
version); the rank table, replaced as a whole by the API, is changed a rank at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.console.changes import Change, answered, form_body, send_change
from services.console.forms import FormState, changed_fields, refusal, typed
from services.console.problems import BY_RULE, problem_message
from services.console.upstream import Answer
from services.console.web import call, has_role, read_all, refuse_expired, signed_in

register_pages = Blueprint("registers", __name__)
WRITERS = ("protocol",)  # who the visits API lets change these records: the forms are offered to them only
LANGUAGES = ("en", "ru", "bg")
RANK_FIELDS = ("key", "level", *(f"label_{code}" for code in LANGUAGES), *(f"address_{code}" for code in LANGUAGES))
RANK_TABLE = "/protocol/rank-table"
RANK_FIELD_NAMES = {
    "key": lazy_gettext("key"), "level": lazy_gettext("precedence level"),
    "label_en": lazy_gettext("name in English"), "label_ru": lazy_gettext("name in Russian"),
    "label_bg": lazy_gettext("name in Bulgarian"), "address_en": lazy_gettext("form of address in English"),
    "address_ru": lazy_gettext("form of address in Russian"),
    "address_bg": lazy_gettext("form of address in Bulgarian"),
}


@dataclass(frozen=True)
class Register:
    template: str
    reads: Callable[[str], dict[str, tuple]]
    owner: str | None = None  # the read whose 404 means the page does not exist


REGISTERS = {
    "interpreters": Register("registers/interpreters.html", lambda _owner: {
        "interpreters": ("visits", "/interpreters", {"page_size": 200, "sort": "name"})}),
    "press": Register("registers/press.html", lambda function: {
        "function": ("visits", f"/functions/{function}"),
        "participants": ("visits", f"/functions/{function}/participants")}, owner="function"),
    "minutes": Register("registers/minutes.html", lambda meeting: {
        "meeting": ("visits", f"/meetings/{meeting}"), "minutes": ("visits", f"/meetings/{meeting}/minutes"),
        "revisions": ("visits", f"/meetings/{meeting}/minutes/revisions")}, owner="meeting"),
}


def _yes_no(*names: str) -> Callable[[dict], dict]:
    """A choice of yes or no sent as the boolean the API expects."""
    return lambda body: {**body, **{name: body[name] == "true" for name in names if name in body}}


INTERPRETER = "/interpreters/{record_id}"
CHANGES = {
    ("interpreters", "add"): Change("POST", "/interpreters", ("name", "pairs", "modes"), lists=("pairs", "modes")),
    ("interpreters", "edit"): Change("PATCH", INTERPRETER, ("name", "pairs", "modes"), lists=("pairs", "modes"),
                                     record=INTERPRETER),
    ("interpreters", "active"): Change("PATCH", INTERPRETER, ("active",), shape=_yes_no("active"),
                                       record=INTERPRETER),
    ("press", "open"): Change("PATCH", "/functions/{owner_id}", ("press_open",), shape=_yes_no("press_open"),
                              record="/functions/{owner_id}"),
    ("press", "accredit"): Change("POST", "/functions/{owner_id}/accreditations", ("journalist", "outlet", "country")),
    ("press", "decide"): Change("POST", "/functions/{owner_id}/accreditations/{record_id}/decide",
                                ("approve", "reason"), optional=("reason",), shape=_yes_no("approve")),
    ("minutes", "hold"): Change("POST", "/meetings/{owner_id}/hold", ("outcome",), record="/meetings/{owner_id}"),
    ("minutes", "revise"): Change("PUT", "/meetings/{owner_id}/minutes", ("text", "note"), optional=("note",),
                                  record="/meetings/{owner_id}/minutes"),
}


def _page(register: str, owner_id: str = "", forms: dict[str, FormState] | None = None):
    spec = REGISTERS[register]
    answers = read_all(**spec.reads(owner_id))
    if spec.owner and answers[spec.owner].status in (404, 422):
        abort(404)
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template(spec.template, answers=answers, owner_id=owner_id, forms=forms,
                           writes=has_role(*WRITERS)), status


def _change(register: str, change: str, back: str, owner_id: str = "", record_id: str = ""):
    spec = CHANGES.get((register, change))
    if spec is None:
        abort(404)
    values, body = form_body(spec, owner_id)  # as a visit's part sends it: lists split, `shape` applied
    ids = {"owner_id": owner_id, "record_id": record_id}
    answer = send_change(spec, "visits", ids, body)
    key = "-".join(part for part in (change, record_id) if part)
    return answered(spec, "visits", ids, values, _by_list(answer), f"{back}#{key}",
                    lambda state: _page(register, owner_id, {key: state}))


def _by_list(answer: Answer) -> Answer:
    """A refused item of a list (`pairs.1`) is shown beside the list's field."""
    errors = answer.problem.get("errors")
    if not errors:
        return answer
    named = [{**error, "field": ".".join(part for part in str(error.get("field", "")).split(".") if not part.isdigit())}
             for error in errors]
    return Answer(answer.status, {**answer.problem, "errors": named}, answer.headers, answer.unavailable)


@register_pages.get("/interpreters")
@signed_in
def interpreters():
    return _page("interpreters")


@register_pages.post("/interpreters/<change>")
@register_pages.post("/interpreters/<change>/<record_id>")
@signed_in
def change_interpreter(change: str, record_id: str = ""):
    return _change("interpreters", change, url_for("registers.interpreters"), record_id=record_id)


@register_pages.get("/functions/<function_id>/press")
@signed_in
def press(function_id: str):
    return _page("press", function_id)


@register_pages.post("/functions/<function_id>/press/<change>")
@register_pages.post("/functions/<function_id>/press/<change>/<record_id>")
@signed_in
def change_press(function_id: str, change: str, record_id: str = ""):
    return _change("press", change, url_for("registers.press", function_id=function_id), function_id, record_id)


@register_pages.get("/meetings/<meeting_id>/minutes")
@signed_in
def minutes(meeting_id: str):
    return _page("minutes", meeting_id)


@register_pages.post("/meetings/<meeting_id>/minutes/<change>")
@signed_in
def change_minutes(meeting_id: str, change: str):
    return _change("minutes", change, url_for("registers.minutes", meeting_id=meeting_id), meeting_id)


def _rank_table_page(forms: dict[str, FormState] | None = None):
    table = refuse_expired(call("GET", "visits", RANK_TABLE))
    forms = forms or {}
    status = 422 if any(form.errors or form.message for form in forms.values()) else 200
    return render_template("registers/rank-table.html", table=table, forms=forms, writes=has_role(*WRITERS),
                           languages=LANGUAGES, rank_was=rank_fields), status


@register_pages.get(RANK_TABLE)
@signed_in
def rank_table():
    return _rank_table_page()


def _rank_of(values: dict) -> dict:
    level = values["level"]
    return {"key": values["key"], "level": int(level) if level.isdigit() else level,
            "labels": {code: values[f"label_{code}"] for code in LANGUAGES},
            "address": {code: values[f"address_{code}"] for code in LANGUAGES}}


def rank_fields(rank: dict) -> dict:
    """A rank as its form shows it."""
    return {"key": rank["key"], "level": str(rank["level"]),
            **{f"label_{code}": rank["labels"].get(code, "") for code in LANGUAGES},
            **{f"address_{code}": rank["address"].get(code, "") for code in LANGUAGES}}


def _ranks_after(change: str, ranks: list[dict], position: int, values: dict) -> tuple[list[dict], int]:
    """The whole table the API replaces, with this form's change; and the changed rank's position in it."""
    if change == "add":
        return [*ranks, _rank_of(values)], len(ranks)
    if change == "edit":
        return [*ranks[:position], _rank_of(values), *ranks[position + 1:]], position
    return [*ranks[:position], *ranks[position + 1:]], position


@register_pages.post(RANK_TABLE + "/<change>")
@register_pages.post(RANK_TABLE + "/<change>/<place>")
@signed_in
def change_rank_table(change: str, place: str = "0"):
    if change not in ("add", "edit", "remove") or not place.isdigit():
        abort(404)
    position = int(place)
    values = typed(RANK_FIELDS) if change != "remove" else {}
    current = refuse_expired(call("GET", "visits", RANK_TABLE))
    if not current.ok:
        return _rank_table_page({change: refusal(current, values)})
    ranks, at = _ranks_after(change, current.body["ranks"], position, values)
    version = request.form.get("version", "")
    answer = refuse_expired(call("PUT", "visits", RANK_TABLE, json={"ranks": ranks},
                                 headers={"If-Match": f'"{version}"'}))
    key = change if change == "add" else f"{change}-{position}"
    if answer.ok:
        return redirect(url_for("registers.rank_table") + ("#ranks" if change == "remove" else f"#rank-{at}"))
    if answer.status == 412:
        return _rank_table_page({key: _rank_changed_meanwhile(current.body["ranks"], values)})
    return _rank_table_page({key: _rank_refusal(answer, values, at)})


def _rank_changed_meanwhile(ranks: list[dict], values: dict) -> FormState:
    """The table changed since the form was opened: name what changed in this rank (found again by its key)."""
    before = {name.removeprefix("was_"): value for name, value in request.form.items() if name.startswith("was_")}
    now = next((rank_fields(rank) for rank in ranks if rank["key"] == before.get("key")), None)
    changed = changed_fields(before, now) if before and now else []
    if not changed:
        return FormState(values, {}, _("Someone changed this meanwhile. What you typed is kept below; check it and "
                                       "send again."))
    names = ", ".join(str(RANK_FIELD_NAMES[name]) for name in changed)
    return FormState(values, {}, _("Someone changed this meanwhile (%(fields)s). What you typed is kept below; "
                                   "check it and send again.", fields=names), changed)


def _rank_refusal(answer: Answer, values: dict, at: int) -> FormState:
    """The API names a rank's field by its place in the table (`ranks.3.labels.ru`): shown beside this form's."""
    errors: dict[str, str] = {}
    others = []
    for error in answer.problem.get("errors") or []:
        name = _rank_field(str(error.get("field", "")), at)
        known = BY_RULE.get(str(error.get("code", "")))
        text = str(known) if known else str(error.get("message", ""))
        if name in values:
            errors.setdefault(name, text)
        else:
            others.append(text)
    message = "; ".join(others) or (None if errors else problem_message(answer))
    return FormState(values, errors, message)


def _rank_field(field: str, at: int) -> str:
    parts = field.split(".")
    if parts[:2] != ["ranks", str(at)] or len(parts) < 3:
        return field
    if parts[2] in ("labels", "address"):
        prefix = "label" if parts[2] == "labels" else "address"
        return f"{prefix}_{parts[3] if len(parts) > 3 else LANGUAGES[0]}"
    return parts[2]
