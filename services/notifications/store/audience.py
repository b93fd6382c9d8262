"""Who asked to hear what, read once per consumer transaction (decision 0076)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications.domain.delivery_plan import IN_APP
from services.notifications.store.models import Recipient, RoleSubscription, Subscription, Watch, Webhook
from services.notifications.store.recipients import Holder, recipients_with_roles, stored_recipients

AUDIENCE = "notifications.audience"  # the key of the transaction's Audience in its session's info


@dataclass
class Audience:
    """Who asked to hear what, read once per consumer transaction and shared by the events of its batch
    (decision 0076): no event changes it, and reading it before each event also flushed the rows of the
    events before it, one round trip each."""

    subscriptions: list[Subscription]
    watches: list[Watch]
    role_subscriptions: list[tuple[RoleSubscription, list[Holder]]]  # each with the role's people
    webhooks: list[Webhook]
    recipients: dict[str, Recipient | None] = field(default_factory=dict)  # read as events name them

    @classmethod
    def of(cls, session: Session) -> Audience:
        audience = session.info.get(AUDIENCE)
        if audience is None:
            with session.no_autoflush:
                audience = session.info[AUDIENCE] = cls(
                    subscriptions=list(session.execute(
                        select(Subscription).where(Subscription.channel == IN_APP)).scalars()),
                    watches=list(session.execute(select(Watch)).scalars()),
                    role_subscriptions=_with_holders(list(session.execute(select(RoleSubscription)).scalars()),
                                                     session),
                    webhooks=list(session.execute(select(Webhook).where(Webhook.enabled.is_(True))).scalars()))
        return audience

    def stored(self, session: Session, names: list[str]) -> dict[str, Recipient]:
        """The stored rows of these people; those not read yet in this transaction, in one query."""
        unread = [name for name in names if name not in self.recipients]
        if unread:
            with session.no_autoflush:
                found = stored_recipients(session, unread)
            self.recipients.update({name: found.get(name) for name in unread})
        return {name: row for name in names if (row := self.recipients[name]) is not None}


def _with_holders(rows: list[RoleSubscription], session: Session) -> list[tuple[RoleSubscription, list[Holder]]]:
    """Each role subscription with the people holding its role, read in one query."""
    holders = recipients_with_roles(session, {row.role for row in rows})
    return [(row, holders[row.role]) for row in rows]
