"""Personal data (passport numbers, dates and places of birth, contacts' e-mail and phone): encrypted at rest,
masked, reads audited.

A model declares such a column as `mapped_column(EncryptedText)`: the value is a Fernet token in the
database (AES-128-CBC with HMAC-SHA256), never plaintext. The keys come from `CHANCERY_PII_KEYS`
(comma-separated; the first encrypts, every one decrypts, so a key can be rotated: add the new key
first, run `chancery pii rotate <service>`, then drop the old one). The composition root installs the
keys once per process (`install_keys`), before any session touches such a column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection, Engine, MetaData, String, Text, cast, literal, select, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sa_table
from sqlalchemy.types import TypeDecorator

from shared.config import Settings

MASK = "•"
VISIBLE_TAIL = 2
_keyring: MultiFernet | None = None


class PersonalDataKeyMissing(RuntimeError):
    """An encrypted column was touched in a process whose keys were never installed."""


def install_keys(settings: Settings) -> None:
    global _keyring
    _keyring = MultiFernet([Fernet(key.encode()) for key in settings.pii_keys])


def keyring() -> MultiFernet:
    if _keyring is None:
        raise PersonalDataKeyMissing("install_keys(settings) was not called in this process")
    return _keyring


class EncryptedText(TypeDecorator):
    """Text stored as a Fernet token; None stays NULL (a purged value)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else keyring().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else keyring().decrypt(value.encode()).decode()


def mask(value: str | None) -> str | None:
    """What a caller without the right to read personal data sees: its length and last two characters."""
    if value is None:
        return None
    tail = value[-VISIBLE_TAIL:] if len(value) > 2 * VISIBLE_TAIL else ""
    return MASK * (len(value) - len(tail)) + tail


def reveal_or_mask(value: str | None, may_read: bool) -> str | None:
    return value if may_read else mask(value)


def encrypted_columns(metadata: MetaData) -> Iterable[tuple[str, str]]:
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table.name, column.name


def rotate(engine: Engine, metadata: MetaData) -> int:
    """Re-encrypt every personal-data value under the first key; returns how many values were rewritten."""
    ring, rewritten = keyring(), 0
    for table_name, column_name in encrypted_columns(metadata):
        table = metadata.tables[table_name]
        column, primary_key = table.c[column_name], list(table.primary_key.columns)
        with engine.begin() as connection:
            # Cast to plain Text to read and write the tokens themselves, never the plaintext.
            rows = connection.execute(select(*primary_key, cast(column, Text)).where(column.is_not(None))).all()
            for *key, token in rows:
                try:
                    fresh = ring.rotate(token.encode()).decode()
                except InvalidToken as error:
                    raise PersonalDataKeyMissing(f"{table_name}.{column_name}: no configured key opens a value")\
                        from error
                connection.execute(update(table).where(*(c == v for c, v in zip(primary_key, key, strict=True)))
                                   .values({column_name: literal(fresh, Text)}))
                rewritten += 1
    return rewritten


def encrypt(value: str) -> str:
    return keyring().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return keyring().decrypt(token.encode()).decode()


def rewrite_values(connection: Connection, table_name: str, columns: tuple[str, ...],
                   convert: Callable[[str], str]) -> None:
    """For a migration: every non-NULL value of `columns` (of a table keyed by `id`) through `convert`, e.g.
    `encrypt` when a column becomes encrypted going up and `decrypt` going down."""
    table = sa_table(table_name, sql_column("id", String), *(sql_column(name, Text) for name in columns))
    for row in connection.execute(select(table)).all():
        values = {name: convert(getattr(row, name)) for name in columns if getattr(row, name) is not None}
        if values:
            connection.execute(update(table).where(table.c.id == row.id).values(**values))
