"""People as notifications knows them: from the claims they sign in with, and from the identity provider's
directory, so that a role subscription reaches someone who never signed in (decision 0126)."""

from __future__ import annotations

from typing import Any

from services.notifications.store.models import Recipient
from services.notifications.store.recipients import roles_text
from shared.uow import UnitOfWork

IDENTITY = ("roles", "department", "display_name")  # what the identity provider says, always taken as it is now


def register_signed_in(uow: UnitOfWork, display_name: str | None, language: str | None,
                       email: str | None) -> Recipient:
    """The caller as they signed in: subject, roles and department from their own token, the display name,
    language and e-mail address from the other claims of their sign-in. Audited when anything changed."""
    claims = {"roles": roles_text(uow.roles), "department": uow.department, "display_name": display_name,
              "language": language, "email": email}
    return _know(uow, uow.actor, claims, "sign-in", "person.sign-in")


def import_people(uow: UnitOfWork, people: list[dict[str, Any]]) -> dict[str, int]:
    """Everyone in an export of the identity provider's directory, all or nothing; each person changed audited."""
    outcome = {"created": 0, "updated": 0, "unchanged": 0}
    for person in people:
        claims = {**person, "roles": roles_text(frozenset(person["roles"]))}
        before = uow.session.get(Recipient, person["subject"])
        known = before is not None and _identity(before)
        row = _know(uow, person["subject"], claims, "directory", "person.import")
        outcome["created" if before is None else "updated" if _identity(row) != known else "unchanged"] += 1
    return outcome


def _identity(row: Recipient) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in (*IDENTITY, "language", "email"))


def _know(uow: UnitOfWork, subject: str, claims: dict[str, Any], source: str, action: str) -> Recipient:
    """Keep the identity claims as they are now; the language and e-mail address only where the person has none
    of their own yet (preferences they set win over the directory's)."""
    row = uow.session.get(Recipient, subject)
    created = row is None
    if row is None:
        row = Recipient(name=subject, roles="", language="en", time_zone="UTC", channels={}, digest_at="08:00",
                        version=1, known_from=source)
        uow.session.add(row)
    changes = {name: claims.get(name) for name in IDENTITY if getattr(row, name) != claims.get(name)}
    if claims.get("language") and created:
        changes["language"] = claims["language"]
    if claims.get("email") and row.email is None:
        changes["email"] = claims["email"]
    for name, value in changes.items():
        setattr(row, name, value)
    if changes:
        if {"language", "email"} & set(changes) and not created:
            row.version += 1  # the preferences' ETag changes with them
        uow.session.flush()
        told = {name: value for name, value in changes.items() if name != "email"}
        uow.audit(action, "recipient", subject, {**told, "email_set": "email" in changes})
    return row
