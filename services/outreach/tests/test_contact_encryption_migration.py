"""The migration that encrypts contacts' e-mail and phone rewrites the values already stored, and back."""

import sqlalchemy as sa
from alembic import command

from services.outreach.app import SPEC
from services.outreach.store.models import PartnerContact
from shared.testing import migrated_to

BEFORE, ENCRYPTING = "5d2f0a7c91b3", "7c41d2e9a0b5"
EMAIL, PHONE = "m.petrova@sofia.example", "+359 2 000 0000"


def test_contacts_stored_in_plain_text_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(tmp_path):
    config, engine = migrated_to(SPEC, f"sqlite:///{tmp_path}/outreach.db", BEFORE)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO partners (id, kind, name, names, search_text, country, version, "
                                   "created_by, created_at, updated_at) VALUES ('p', 'city', 'Sofia', '[]', "
                                   "'sofia', 'BG', 1, 'seed', :now, :now)"), {"now": "2026-12-01 10:00:00"})
        connection.execute(sa.text("INSERT INTO partner_contacts (id, partner_id, name, email, phone, languages, "
                                   "version, created_by, created_at, updated_at) VALUES ('c', 'p', 'Maria', :email, "
                                   ":phone, '[]', 1, 'seed', :now, :now)"),
                           {"email": EMAIL, "phone": PHONE, "now": "2026-12-01 10:00:00"})
    raw = sa.text("SELECT email, phone FROM partner_contacts WHERE id = 'c'")

    command.upgrade(config, ENCRYPTING)
    with engine.connect() as connection:
        stored = connection.execute(raw).one()
        assert EMAIL not in stored.email and PHONE not in stored.phone
        assert connection.execute(sa.select(PartnerContact.email, PartnerContact.phone)).one() == (EMAIL, PHONE)

    command.downgrade(config, BEFORE)
    with engine.connect() as connection:
        assert tuple(connection.execute(raw).one()) == (EMAIL, PHONE)
    engine.dispose()
