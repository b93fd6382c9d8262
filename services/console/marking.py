"""A record marked confidential or embargoed at the console (decision 0190): the form's fields, and the `marking`
part of the body the service takes. The embargo is typed in UTC, as every instant the console asks for."""

from __future__ import annotations

from shared.http.auth import ROLES

MARKING_FIELDS = ("confidentiality", "embargoed_until", "need_to_know_people", "need_to_know_roles")
UNMARKED = {"confidentiality": "open", "embargoed_until": "", "need_to_know_people": "", "need_to_know_roles": []}
MARKED_ROLES = tuple(ROLES)


def marking_body(values: dict) -> dict:
    """The marking the form says: confidential or open, the embargo's end (UTC) or none, the people (sign-in
    names, separated by commas) and the roles ticked who need to know."""
    until = values.get("embargoed_until", "")
    return {"confidentiality": values.get("confidentiality") or "open",
            "embargoed_until": f"{until}:00Z" if until else None,
            "need_to_know": {"people": [name.strip() for name in values.get("need_to_know_people", "").split(",")
                                        if name.strip()],
                             "roles": [role for role in values.get("need_to_know_roles", "").split(", ")
                                       if role in MARKED_ROLES]}}


def marked(body: dict) -> dict:
    """A change's `shape` whose form carries the marking among its fields (`changes.Change`)."""
    values = {name: body.pop(name, "") for name in MARKING_FIELDS}
    return body | marking_body(values)


def marking_shown(record: dict) -> dict:
    """A record's marking as the form shows it (the form of a new record: open, no embargo, nobody named)."""
    if not record:
        return UNMARKED
    until = record.get("embargoed_until") or ""
    named = record.get("need_to_know") or {}
    return {"confidentiality": record.get("confidentiality", "open"), "embargoed_until": until[:16],
            "need_to_know_people": ", ".join(named.get("people", [])), "need_to_know_roles": named.get("roles", [])}
