"""Server-side sessions: the cookie carries a random session id and nothing else.

Flask-Session does the cookie, the session id (256 random bits), its renewal at login and the Redis store. Its
own SQLAlchemy store does not fit this project (it creates its table when the app is made, outside the
migrations; it defines its model anew on every app; it commits the request's own database session), so the
database store below is ours: one table from migration 0019, written on a connection of its own so that a
session write never commits (or rolls back) the request's work.

In both stores the key is the SHA-256 of the session id, so a copy of the table (a backup) or of Redis holds no
cookie that would open a session.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, abort, current_app, has_request_context, request
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from sqlalchemy import LargeBinary, String, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, db

SID_BYTES = 32


def _now() -> datetime:
    """Sessions live in real time, like the idle and absolute limits (portal.security): never on the moved clock
    that tests and simulations use (portal.clock), which would end or prolong them at random."""
    return datetime.now(UTC)
# Set in a request's environ when its session could not be read (the database is unreachable).
STORE_UNAVAILABLE = "portal.session_store_unavailable"


class WebSession(Base):
    """One session's data, keyed by the hash of its id; a row past `expires_at` is as good as gone."""

    __tablename__ = "web_session"

    store_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def store_key(sid: str, prefix: str = "") -> str:
    """What a store keeps a session under: never the id the cookie carries."""
    return prefix + hashlib.sha256(sid.encode()).hexdigest()


# What a new session may hold and still not be stored: a visitor who has only looked at pages in a language
# (the language is in every resident page's address anyway) costs the store nothing. Measured: with every new
# visitor of the start page written to the store, its throughput fell from 0.37 to 0.09 of the bare route.
NOT_WORTH_STORING = frozenset({"_permanent", "language"})


class _HashedKeys(ServerSideSessionInterface):
    """Keys are hashes of the session id; a new session holding only a language choice is not stored."""

    def _get_store_id(self, sid: str) -> str:
        return store_key(sid, self.key_prefix)

    def open_session(self, app: Flask, request: Any) -> ServerSideSession:
        session = super().open_session(app, request)
        session.from_store = bool(session)
        return session

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if not getattr(session, "from_store", False) and set(session.keys()) <= NOT_WORTH_STORING:
            return
        super().save_session(app, session, response)


class DatabaseSessionInterface(_HashedKeys):
    """Sessions in the `web_session` table of the portal's own database."""

    session_class = ServerSideSession
    ttl = True  # expiry is checked on every read; `purge_expired` (the scheduler's daily job) removes old rows

    # When the database cannot be reached: a session that cannot be read is empty for a GET and makes a POST the
    # 500 page (portal.security.check_session); a write that fails is logged and lost (the page already made is
    # still sent); a delete that fails is logged, and the row ends with its store time (at most an hour).

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        try:
            with db.engine.connect() as conn:
                row = conn.execute(select(WebSession.data, WebSession.expires_at)
                                   .where(WebSession.store_id == store_id)).first()
        except SQLAlchemyError:
            current_app.logger.exception("the session store cannot be read")
            if has_request_context():
                request.environ[STORE_UNAVAILABLE] = True
            return None
        if row is None or row.expires_at <= _now():
            return None
        assert self.serializer is not None
        return dict(self.serializer.decode(bytes(row.data)))

    def _delete_session(self, store_id: str) -> None:
        try:
            with db.engine.begin() as conn:
                conn.execute(delete(WebSession).where(WebSession.store_id == store_id))
        except SQLAlchemyError:
            current_app.logger.exception("a session could not be deleted from the store")

    def _upsert_session(self, session_lifetime: timedelta, session: ServerSideSession, store_id: str) -> None:
        assert self.serializer is not None
        values = {"store_id": store_id, "data": self.serializer.encode(session),
                  "expires_at": _now() + session_lifetime}
        try:
            self._write(values)
        except SQLAlchemyError:
            current_app.logger.exception("a session could not be written to the store")

    @staticmethod
    def _write(values: dict[str, Any]) -> None:
        with db.engine.begin() as conn:
            insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            statement = insert(WebSession).values(**values)
            conn.execute(statement.on_conflict_do_update(
                index_elements=[WebSession.store_id],
                set_={"data": statement.excluded.data, "expires_at": statement.excluded.expires_at}))


def refuse_posts_without_their_session() -> None:
    """The database is down: a page that needs none is still shown (as to a visitor without a session), but a
    form sent in it cannot be checked against its session and gets the 500 page (before the CSRF check, which
    would call it a stale page)."""
    if request.environ.get(STORE_UNAVAILABLE) and request.method not in ("GET", "HEAD"):
        abort(500)


def _redis_interface(app: Flask, url: str) -> ServerSideSessionInterface:
    from flask_session.redis import RedisSessionInterface
    from redis import Redis

    class HashedRedisSessionInterface(_HashedKeys, RedisSessionInterface):
        """Flask-Session's Redis store, keyed by the hash of the session id."""

    return HashedRedisSessionInterface(app, client=Redis.from_url(url), key_prefix="portal:session:",
                                       permanent=False, sid_length=SID_BYTES)


def init_app(app: Flask) -> None:
    """Put sessions in Redis when PORTAL_SESSION_STORAGE_URL names it, otherwise in the database."""
    # The store keeps a session as long as the longer idle limit; the idle and absolute limits per kind of
    # session are checked on every request (portal.security).
    idle = max(app.config["STAFF_SESSION_MINUTES"], app.config["RESIDENT_SESSION_MINUTES"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=idle + 1)
    # Write a session only when it changed (the last activity is kept to the half minute).
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.before_request(refuse_posts_without_their_session)
    url = app.config.get("SESSION_STORAGE_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        app.session_interface = _redis_interface(app, url)
    else:
        app.session_interface = DatabaseSessionInterface(app, key_prefix="", permanent=False, sid_length=SID_BYTES)


def renew(session: Any) -> None:
    """Give the session a new id and drop the old one from the store (at login, and whenever it ends)."""
    interface = current_app.session_interface
    if isinstance(interface, ServerSideSessionInterface) and isinstance(session, ServerSideSession):
        if session.sid:
            interface._delete_session(interface._get_store_id(session.sid))
        session.sid = interface._generate_sid(interface.sid_length)
        session.modified = True


def purge_expired() -> int:
    """Delete the database store's expired sessions (Redis expires its own); returns how many."""
    result = db.session.execute(delete(WebSession).where(WebSession.expires_at <= _now()))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
