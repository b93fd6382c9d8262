"""Personal data at rest: encrypted in the database file, masked for those who may not read it, keys rotatable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select, text

from shared.config import load_settings
from shared.pii import EncryptedText, PersonalDataKeyMissing, install_keys, mask, rotate

PASSPORT = "AB1234567"
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def use_keys(*keys: str) -> None:
    install_keys(load_settings("visits", {"CHANCERY_PII_KEYS": ",".join(keys)}))


@pytest.fixture
def members(tmp_path):
    metadata = MetaData()
    table = Table("members", metadata, Column("id", String(10), primary_key=True),
                  Column("passport_number", EncryptedText, nullable=True))
    engine = create_engine(f"sqlite:///{tmp_path / 'pii.db'}")
    metadata.create_all(engine)
    yield engine, metadata, table, tmp_path / "pii.db"
    engine.dispose()
    use_keys(load_settings("visits").pii_keys[0])  # the development key, as every other test expects


def stored_token(engine, table, member_id: str = "m1") -> str:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT passport_number FROM {table.name} WHERE id = :id"),
                                  {"id": member_id}).scalar_one()


def test_a_passport_number_is_stored_encrypted_and_read_back_in_the_clear(members):
    engine, _, table, path = members
    use_keys(OLD_KEY)
    with engine.begin() as connection:
        connection.execute(insert(table).values(id="m1", passport_number=PASSPORT))
        read = connection.execute(select(table.c.passport_number)).scalar_one()
    assert read == PASSPORT
    assert PASSPORT not in stored_token(engine, table)
    assert PASSPORT.encode() not in path.read_bytes()


def test_a_purged_value_stays_null_rather_than_an_encrypted_empty_string(members):
    engine, _, table, _ = members
    use_keys(OLD_KEY)
    with engine.begin() as connection:
        connection.execute(insert(table).values(id="m1", passport_number=None))
    assert stored_token(engine, table) is None


def test_after_rotation_the_old_key_can_be_dropped_and_every_value_still_reads(members):
    engine, metadata, table, _ = members
    use_keys(OLD_KEY)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"id": "m1", "passport_number": PASSPORT},
                                           {"id": "m2", "passport_number": None}])
    before = stored_token(engine, table)

    use_keys(NEW_KEY, OLD_KEY)
    assert rotate(engine, metadata) == 1
    use_keys(NEW_KEY)
    with engine.connect() as connection:
        assert connection.execute(select(table.c.passport_number).where(table.c.id == "m1")).scalar_one() == PASSPORT
    assert stored_token(engine, table) != before


def test_rotation_with_keys_that_open_nothing_refuses_rather_than_destroying_data(members):
    engine, metadata, table, _ = members
    use_keys(OLD_KEY)
    with engine.begin() as connection:
        connection.execute(insert(table).values(id="m1", passport_number=PASSPORT))
    use_keys(NEW_KEY)
    with pytest.raises(PersonalDataKeyMissing, match="members.passport_number"):
        rotate(engine, metadata)
    use_keys(OLD_KEY)
    with engine.connect() as connection:
        assert connection.execute(select(table.c.passport_number)).scalar_one() == PASSPORT


@pytest.mark.parametrize(("value", "masked"), [
    ("AB1234567", "•••••••67"), ("12345", "•••45"), ("1234", "••••"), ("", ""), (None, None),
])
def test_a_masked_value_keeps_only_its_length_and_at_most_its_last_two_characters(value, masked):
    assert mask(value) == masked
