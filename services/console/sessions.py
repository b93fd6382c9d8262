"""Server-side sessions: the cookie holds a random id, the content lives encrypted in the console's own
database (decision 0090), so every gunicorn worker and replica sees the same session and sign-out revokes it."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import (
    Column,
    Float,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from werkzeug.datastructures import CallbackDict

COOKIE_NAME = "chancery_console"
DECRYPTED_KEPT = 1000  # sessions whose decrypted content a process keeps (a few KiB each)
metadata = MetaData()
sessions_table = Table(
    "console_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),  # a database leak does not hand out live cookies
    Column("content", Text, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
)
# Read on every request: the statement is built once (its cache key too), not per page.
READ_SESSION = select(sessions_table.c.content, sessions_table.c.expires_at).where(
    sessions_table.c.id_hash == bindparam("id_hash"))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    def __init__(self, database_url: str, secret_key: str, idle_seconds: float):
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # a connection to a server may have dropped since its last use; a SQLite file's cannot (no ping per page)
        self.engine = create_engine(url, pool_pre_ping=url.get_backend_name() != "sqlite")
        key = base64.urlsafe_b64encode(hashlib.sha256(f"sessions:{secret_key}".encode()).digest())
        self.fernet = Fernet(key)
        self.idle_seconds = idle_seconds
        self._created = False
        # id hash -> (the stored ciphertext, its plaintext). Every save encrypts anew (Fernet: a fresh IV and
        # time), so an unchanged ciphertext is an unchanged session: the row is still read on every request
        # (sign-out elsewhere must count), but decrypted only when it changed.
        self._decrypted: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._decrypted_lock = threading.Lock()

    def _ready(self):
        if not self._created:
            metadata.create_all(self.engine, checkfirst=True)
            self._created = True
        return self.engine

    def load(self, session_id: str) -> dict | None:
        key = _hash(session_id)
        with self._ready().connect() as connection:
            row = connection.execute(READ_SESSION, {"id_hash": key}).first()
        if row is None or row.expires_at < time.time():
            return None
        plaintext = self._plaintext(key, str(row.content))
        return json.loads(plaintext) if plaintext is not None else None

    def _plaintext(self, key: str, ciphertext: str) -> bytes | None:
        known = self._decrypted.get(key)
        if known is not None and known[0] == ciphertext:
            return known[1]
        try:
            plaintext = self.fernet.decrypt(ciphertext.encode())
        except InvalidToken:
            return None
        self._remember(key, ciphertext, plaintext)
        return plaintext

    def _remember(self, key: str, ciphertext: str, plaintext: bytes) -> None:
        with self._decrypted_lock:
            self._decrypted[key] = (ciphertext, plaintext)
            self._decrypted.move_to_end(key)
            while len(self._decrypted) > DECRYPTED_KEPT:
                self._decrypted.popitem(last=False)

    def save(self, session_id: str, content: dict) -> None:
        plaintext = json.dumps(content).encode()
        values = {"content": self.fernet.encrypt(plaintext).decode(), "expires_at": time.time() + self.idle_seconds}
        with self._ready().begin() as connection:
            changed = connection.execute(update(sessions_table)
                                         .where(sessions_table.c.id_hash == _hash(session_id)).values(**values))
            if changed.rowcount == 0:
                connection.execute(delete(sessions_table).where(sessions_table.c.expires_at < time.time()))
                connection.execute(insert(sessions_table).values(id_hash=_hash(session_id), **values))
        self._remember(_hash(session_id), values["content"], plaintext)

    def delete(self, session_id: str) -> None:
        with self._decrypted_lock:
            self._decrypted.pop(_hash(session_id), None)
        with self._ready().begin() as connection:
            connection.execute(delete(sessions_table).where(sessions_table.c.id_hash == _hash(session_id)))

    def ping(self) -> None:
        with self._ready().connect() as connection:
            connection.execute(select(1))


class StoredSession(CallbackDict, SessionMixin):
    def __init__(self, content: dict | None = None, session_id: str | None = None):
        def on_update(this):
            this.modified = True
        super().__init__(content or {}, on_update)
        self.session_id = session_id
        self.modified = False
        self.renewed_from: str | None = None

    def renew(self) -> None:
        """A new id for the same content (at sign-in: an id known before it must not carry the signed-in
        session); the old row is deleted when the response is saved."""
        self.renewed_from = self.session_id
        self.session_id = None
        self.modified = True

    def end(self) -> None:
        self.clear()
        self.renewed_from = self.session_id
        self.session_id = None
        self.modified = True


class StoredSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore, secure: bool):
        self.store = store
        self.secure = secure

    def open_session(self, app, request) -> StoredSession:
        session_id = request.cookies.get(COOKIE_NAME, "")
        content = self.store.load(session_id) if session_id else None
        return StoredSession(content, session_id if content is not None else None)

    def save_session(self, app, session: StoredSession, response) -> None:
        if session.renewed_from:
            self.store.delete(session.renewed_from)
        if not session:
            if session.renewed_from or session.session_id:
                response.delete_cookie(COOKIE_NAME, path="/")
            return
        if not session.modified and session.session_id:
            return
        session.session_id = session.session_id or secrets.token_urlsafe(32)
        self.store.save(session.session_id, dict(session))
        response.set_cookie(COOKIE_NAME, session.session_id, httponly=True, samesite="Lax", secure=self.secure,
                            path="/")
