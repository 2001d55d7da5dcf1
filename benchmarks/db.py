"""A fresh, migrated database per benchmark: an SQLite file, or a new PostgreSQL database when
PORTAL_BENCH_DATABASE_URL names a server (the database in that URL is only used to create and drop our own)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, make_url, text

ENV = "PORTAL_BENCH_DATABASE_URL"


def backend() -> str:
    """'postgresql' when the benchmarks run on PostgreSQL, else 'sqlite'."""
    return "postgresql" if os.environ.get(ENV) else "sqlite"


def _pg_admin_url() -> str:
    url = make_url(os.environ[ENV])
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


@contextmanager
def fresh_database(workdir: Path, name: str, *, migrate: bool = True) -> Iterator[str]:
    """Yield the URL of an empty database built from the real migrations; a PostgreSQL one is dropped after."""
    from portal.migrate import upgrade

    if backend() == "sqlite":
        url = f"sqlite:///{workdir / f'{name}.sqlite3'}"
        if migrate:
            upgrade(url=url)
        yield url
        return
    admin_url = _pg_admin_url()
    database = f"portal_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade(url=url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def bench_app(url: str, storage: Path, **extra: Any) -> Flask:
    """The real app on `url` with benchmark settings: development login, no MFA, no e-mail, no rate limits."""
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(storage), "DEVELOPMENT": True,
                       "SECRET_KEY": "benchmark-only", "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                       "STAFF_MFA": False, "SMTP_URL": "", **extra})


def analyze() -> None:
    """Production's state shortly after a bulk load: fresh statistics and, on PostgreSQL, a vacuumed table.

    PostgreSQL's autovacuum vacuums a table after inserts too (since 13: once 1,000 rows and a fifth of the
    table are new), which sets the visibility map; without it no index-only scan is possible and every count reads
    its rows from the heap. Measured right after the seed, before autovacuum's next round, the intake-meeting
    board at 100,000 items cost 17 ms instead of 7.
    """
    from portal.db import db

    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
