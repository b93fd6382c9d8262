"""One change of a record at the console as a form: the API call it becomes, and the answer shown. A visit's parts
(`pages/visit_work.py`), the visits' registers (`pages/registers.py`), a trip request and a trip's parts
(`pages/trips.py`, `pages/trip_work.py`) each list theirs as `CHANGES` (decision 0091)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, request

from services.console.forms import FormState, body_of, refusal, stale, typed
from services.console.upstream import Answer
from services.console.web import call, refuse_expired


@dataclass(frozen=True)
class Change:
    """One form: the API call it becomes. The route's ids (`{visit_id}`, `{trip_id}`, `{record_id}`, …) are filled
    into `path` and `record`."""

    method: str
    path: str
    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()  # typed one per line or separated by commas, sent as lists
    shape: Callable[[dict], dict] | None = None
    parent: str | None = None  # the body names the page's record by this field (a visit's meetings: `visit_id`)
    in_path: tuple[str, ...] = ()  # fields that name the record in the path rather than go in the body
    clash_field: str | None = None
    record: str | None = None  # where the record (or a list holding it) is read again after a 412
    listed_in: str = "items"  # where that list's answer holds it


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def form_body(spec: Change, parent_id: str = "") -> tuple[dict, dict]:
    """What the person typed, and the body it becomes."""
    values = typed(spec.fields)
    body = body_of(values, spec.optional)
    body.update({name: _listed(body[name]) for name in spec.lists if name in body})
    if spec.parent:
        body[spec.parent] = parent_id
    return values, spec.shape(body) if spec.shape else body


def only_changed(body: dict) -> dict:
    """A change's fields the person changed: one sent as the form showed it (`was_<field>`), or not sent at all,
    is left as it is, whoever changed it meanwhile."""
    return {name: value for name, value in body.items()
            if name in request.form and request.form.get(f"was_{name}") != value}


def send_change(spec: Change, service: str, ids: dict[str, str], body: dict) -> Answer:
    """The call, with If-Match when the form carries the version it was opened on."""
    ids = {**ids, **{name: body.pop(name, "") for name in spec.in_path}}
    version = request.form.get("version")
    return refuse_expired(call(spec.method, service, spec.path.format(**ids),
                               json=None if spec.method == "DELETE" else body,
                               headers={"If-Match": f'"{version}"'} if version else None))


def answered(spec: Change, service: str, ids: dict[str, str], values: dict, answer: Answer, done: str,
             page: Callable[[FormState], object], record_id: str = ""):
    """To `done` when the change was made; otherwise the page again with the form's state: what changed
    meanwhile (412) or the refusal beside its fields."""
    if answer.ok:
        return redirect(done)
    if answer.status == 412 and spec.record:
        return page(stale(spec.record.format(**ids), values, record_id, spec.listed_in, service=service))
    return page(refusal(answer, values, spec.clash_field))
