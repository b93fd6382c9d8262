"""Preferences: how each person hears (language, time zone, e-mail, channels, quiet hours, digest time)."""

from __future__ import annotations

from typing import Any

from services.notifications.store.models import Recipient
from services.notifications.store.recipients import known_recipient
from shared.kit.refusals import require_version
from shared.uow import UnitOfWork


def own_preferences(uow: UnitOfWork) -> Recipient:
    """The caller's preferences, kept with the defaults on first contact (and their roles as they are now)."""
    recipient = known_recipient(uow.session, uow.actor, uow.roles, uow.department)
    uow.session.flush()
    return recipient


def change_preferences(uow: UnitOfWork, preferences: dict[str, Any],
                       expected_version: frozenset[int] | None) -> Recipient:
    """Replace the caller's preferences with `preferences` (every field, as JSON); the audit record says
    whether an e-mail address is set, never which."""
    recipient = known_recipient(uow.session, uow.actor, uow.roles, uow.department)
    require_version(recipient.version, expected_version)
    quiet_hours = preferences["quiet_hours"]
    recipient.language, recipient.time_zone, recipient.email = (preferences["language"], preferences["time_zone"],
                                                                preferences["email"])
    recipient.channels, recipient.digest_at = preferences["channels"], preferences["digest_at"]
    recipient.quiet_start, recipient.quiet_end = ((quiet_hours["start"], quiet_hours["end"]) if quiet_hours
                                                  else (None, None))
    recipient.version += 1
    changes = {name: value for name, value in preferences.items() if name != "email"}
    uow.audit("preferences.update", "recipient", recipient.name,
              {**changes, "email_set": preferences["email"] is not None})
    return recipient
