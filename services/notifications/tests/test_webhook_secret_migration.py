"""The migration that encrypts webhook secrets rewrites the secrets already stored, and back."""

import sqlalchemy as sa
from alembic import command

from services.notifications.app import SPEC
from services.notifications.store.models import Webhook
from shared.testing import migrated_to

BEFORE, ENCRYPTING = "0a77e1b1c005", "c5e1a9d3f7b2"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_webhook_secrets_stored_in_plain_text_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(tmp_path):
    config, engine = migrated_to(SPEC, f"sqlite:///{tmp_path}/notifications.db", BEFORE)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO webhooks (id, owner, owner_roles, url, pattern, secret, enabled, "
                                   "consecutive_failures, version, created_at) VALUES ('w', 'olga', 'protocol', "
                                   "'https://8.8.8.8/hooks', 'chancery.visits.#', :secret, 1, 0, 1, :now)"),
                           {"secret": SECRET, "now": "2026-12-01 10:00:00"})
    raw = sa.text("SELECT secret FROM webhooks WHERE id = 'w'")

    command.upgrade(config, ENCRYPTING)
    with engine.connect() as connection:
        assert SECRET not in connection.execute(raw).scalar_one()
        assert connection.execute(sa.select(Webhook.secret, Webhook.previous_secret)).one() == (SECRET, None)

    command.downgrade(config, BEFORE)
    with engine.connect() as connection:
        assert connection.execute(raw).scalar_one() == SECRET
    engine.dispose()
