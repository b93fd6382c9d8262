"""Reading people's preferences from the database into the plain values the delivery rules work on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.notifications.domain.delivery_plan import DEFAULT_CHANNELS, QuietHours, Recipient
from services.notifications.store.models import Recipient as RecipientRow


def roles_of(text: str) -> frozenset[str]:
    return frozenset(role for role in text.split(",") if role)


def roles_text(roles: frozenset[str]) -> str:
    """Roles as a row keeps them: sorted, comma-separated."""
    return ",".join(sorted(roles))


def as_recipient(row: RecipientRow) -> Recipient:
    quiet = (QuietHours(time.fromisoformat(row.quiet_start), time.fromisoformat(row.quiet_end))
             if row.quiet_start and row.quiet_end else None)
    return Recipient(name=row.name, roles=roles_of(row.roles), language=row.language, time_zone=row.time_zone,
                     email=row.email, channels={**DEFAULT_CHANNELS, **(row.channels or {})}, quiet_hours=quiet,
                     digest_at=time.fromisoformat(row.digest_at), department=row.department)


def stored_recipients(session: Session, names: list[str]) -> dict[str, RecipientRow]:
    """The stored rows of these people, in one query."""
    if not names:
        return {}
    rows = session.execute(select(RecipientRow).where(RecipientRow.name.in_(names))).scalars()
    return {row.name: row for row in rows}


def recipient_view(row: RecipientRow | None, name: str, roles: frozenset[str], language: str) -> Recipient:
    """The person's stored preferences; someone who never set any gets the defaults. A subscription's own
    language wins over the person's usual one; the stored roles (refreshed at each visit) over the
    subscription's snapshot."""
    if row is None:
        return Recipient(name=name, roles=roles, language=language or "en")
    recipient = as_recipient(row)
    return replace(recipient, language=language or recipient.language, roles=recipient.roles or roles)


@dataclass(frozen=True)
class Holder:
    """Someone holding a role, with what their role subscriptions are matched on."""

    name: str
    roles: frozenset[str]
    department: str | None


def recipients_with_role(session: Session, role: str) -> list[Holder]:
    """Everyone notifications knows (signed in, called the API or imported from the directory) holding `role`."""
    return recipients_with_roles(session, {role})[role]


def recipients_with_roles(session: Session, roles: set[str]) -> dict[str, list[Holder]]:
    """Everyone notifications knows holding each of `roles`, in one query."""
    if not roles:
        return {}
    rows = session.execute(select(RecipientRow.name, RecipientRow.roles, RecipientRow.department)
                           .where(or_(*(RecipientRow.roles.contains(role) for role in sorted(roles))))).all()
    holders = [Holder(name, roles_of(held), department) for name, held, department in rows]
    return {role: [holder for holder in holders if role in holder.roles] for role in roles}


def known_recipient(session: Session, name: str, roles: frozenset[str], department: str | None) -> RecipientRow:
    """The caller's row, created with the defaults on first contact; their roles and department as their token
    says now (role subscriptions reach the people notifications knows, with the roles they last came with)."""
    row = session.get(RecipientRow, name)
    if row is None:
        row = RecipientRow(name=name, roles="", language="en", time_zone="UTC", channels={}, digest_at="08:00",
                           version=1)
        session.add(row)
    current = roles_text(roles)
    if row.roles != current:
        row.roles = current
    if row.department != department:
        row.department = department
    return row
