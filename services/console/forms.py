"""Turning a submitted form into an API body, and an API's refusal back into messages beside the fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.console.marking import MARKING_FIELDS, marking_body
from services.console.problems import field_messages, problem_message
from services.console.upstream import Answer
from services.console.web import call, refuse_expired


@dataclass
class FormState:
    """What the person typed, and what to say beside each field (and above the form)."""

    typed: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    changed: list[str] = field(default_factory=list)


def typed(names: tuple[str, ...]) -> dict:
    """Each field as typed; one sent several times (ticked boxes) as its values separated by commas."""
    return {name: ", ".join(value.strip() for value in request.form.getlist(name) if value.strip())
            for name in names}


def body_of(values: dict, optional: tuple[str, ...] = ()) -> dict:
    """The fields that were filled in; an optional field left blank is left out."""
    return {name: value for name, value in values.items() if value or name not in optional}


def refusal(answer: Answer, values: dict, clash_field: str | None = None) -> FormState:
    """A refused write as the person sees it: each named field's message beside it, the rest above the form."""
    if answer.unavailable:
        return FormState(values, {}, _("The service did not answer; nothing was changed. Try again shortly."))
    errors = field_messages(answer)
    if answer.status == 409 and clash_field:
        errors.setdefault(clash_field, problem_message(answer) or _("This clashes with another item."))
    # A message naming a field the form does not have (a list's item, a record it refers to) goes above the form.
    unplaced = [f"{name}: {text}" for name, text in errors.items() if name not in values and name != clash_field]
    if errors:
        message = "; ".join(unplaced) or None
    else:
        message = problem_message(answer) or _("The change was refused.")
    return FormState(values, errors, message)


def changed_fields(mine_before: dict, theirs_now: dict) -> list[str]:
    """The fields someone else changed since the person opened the form (a list as the form shows it: a, b)."""
    return [name for name, value in mine_before.items() if _as_shown(theirs_now.get(name)) != value]


def _as_shown(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")


FIELD_NAMES = {
    "status": lazy_gettext("status"), "delegation_name": lazy_gettext("delegation"), "country": lazy_gettext("country"),
    "city": lazy_gettext("city"), "starts_on": lazy_gettext("arrival"), "ends_on": lazy_gettext("departure"),
    "purpose": lazy_gettext("purpose"), "host_official": lazy_gettext("host official"), "title": lazy_gettext("title"),
    "starts_at": lazy_gettext("start"), "ends_at": lazy_gettext("end"), "time_zone": lazy_gettext("time zone"),
    "venue": lazy_gettext("venue"), "kind": lazy_gettext("kind"), "role": lazy_gettext("role"),
    "name_original": lazy_gettext("name"), "name_latin": lazy_gettext("name in Latin letters"),
    "flags": lazy_gettext("flags"), "disposition": lazy_gettext("disposition"),
    "declared_on": lazy_gettext("declared on"), "interpreter_id": lazy_gettext("interpreter"),
    "due_on": lazy_gettext("due on"), "owner": lazy_gettext("owner"), "done_at": lazy_gettext("done"),
    "name": lazy_gettext("name"), "pairs": lazy_gettext("language pairs"), "modes": lazy_gettext("modes"),
    "active": lazy_gettext("works for the office"), "press_open": lazy_gettext("open to the press"),
    "text": lazy_gettext("minutes"),
    "rsvp": lazy_gettext("answer"), "responsible_body": lazy_gettext("responsible"),
    "confidentiality": lazy_gettext("confidentiality"), "embargoed_until": lazy_gettext("embargoed until"),
    "need_to_know": lazy_gettext("who needs to know"),
}


def stale(service_path: str, values: dict, record_id: str = "", listed_in: str = "items",
          service: str = "visits", shown: Callable[[dict], dict] | None = None) -> FormState:
    """The record changed since the form was opened (412): name what changed, keep what the person typed. The
    form carries the record's fields as it showed them (`was_<field>`). `service_path` reads the record, or a
    list holding it under `listed_in` (found by `record_id`) where the API has no read of one record or its read
    is audited. `shown` gives the record's fields as the form names them, where it names them otherwise."""
    listed = bool(record_id) and not service_path.endswith(record_id)
    current = refuse_expired(call("GET", service, service_path, params={"page_size": 200} if listed else None)
                             ).body or {}
    if listed:
        current = next((item for item in current.get(listed_in, []) if item.get("id") == record_id), {})
    current = shown(current) if shown else current
    before = {name.removeprefix("was_"): value for name, value in request.form.items() if name.startswith("was_")}
    changed = changed_fields(before, current)
    names = ", ".join(str(FIELD_NAMES.get(name, name.replace("_", " "))) for name in changed)
    message = _("Someone changed this meanwhile (%(fields)s). What you typed is kept below; check it and send "
                "again.", fields=names) if changed else _("Someone changed this meanwhile. What you typed is kept "
                                                            "below; check it and send again.")
    return FormState(values, {}, message, changed)


def send_form(fields: tuple[str, ...], method: str, service: str, path: str, optional: tuple[str, ...] = (),
              version: str | None = None, marked: bool = False) -> tuple[dict, Answer]:
    """What the person typed in `fields`, sent to the service (with If-Match when the form names a version);
    `marked`: the form also says whether the record is confidential or embargoed (`marking.py`)."""
    values = typed(fields)
    body = body_of(values, optional)
    if marked:
        values = {**values, **typed(MARKING_FIELDS)}
        body |= marking_body(values)
    headers = {"If-Match": f'"{version}"'} if version is not None else None
    return values, refuse_expired(call(method, service, path, json=body, headers=headers))


def create_from_form(fields: tuple[str, ...], path: str, template: str, endpoint: str, id_name: str,
                     optional: tuple[str, ...] = (), marked: bool = False):
    """A creating form: to the new record's page, or back to the form with the refusal beside its fields."""
    values, answer = send_form(fields, "POST", "visits", path, optional, marked=marked)
    if answer.ok:
        return redirect(url_for(endpoint, **{id_name: answer.body["id"]}))
    return render_template(template, form=refusal(answer, values)), 422
