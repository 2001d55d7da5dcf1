"""Fixtures: the app on SQLite and (with PORTAL_TEST_DATABASE_URL) PostgreSQL, built from the real migrations."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from portal import clock, create_app
from portal.audit import GENESIS
from portal.db import Base, db
from portal.migrate import upgrade

# Browser fixtures (Chromium, live server) for every test package that drives pages.
pytest_plugins = ["tests.browser_fixtures", "tests.mailserver", "tests.oidc_broker"]

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, with the reason, when the PostgreSQL named for the tests does not answer (rather than
    one error per test)."""
    if not PG_URL:
        return
    engine = create_engine(_pg_admin_url(), connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        pytest.exit(f"PostgreSQL at {make_url(PG_URL).render_as_string()} cannot be reached ({error.orig}). Start it, "
                    "or set PORTAL_TEST_DATABASE_URL= (empty) to test on SQLite alone.", returncode=2)
    finally:
        engine.dispose()


def _pg_admin_url() -> str:
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated once; each test gets a fresh copy of it."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    url = f"sqlite:///{path}"
    app = create_app(_test_config(url, tmp_path_factory.mktemp("files")))
    with app.app_context():
        upgrade(url=url)
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of our own, migrated once, dropped at the end."""
    if not PG_URL:
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set")
    admin_url = _pg_admin_url()
    name = f"portal_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url=url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _test_config(url: str, storage: Path, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DEVELOPMENT": True,
        "DEV_LOGIN": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "STORAGE_DIR": str(storage),
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "SMTP_URL": "",
        "STAFF_MFA": False,
        **extra,
    }


@pytest.fixture
def clock_at(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Pin the one clock (portal.clock) to a moment for the test; parametrise indirectly to choose it:
    `@pytest.mark.parametrize("clock_at", [datetime(...)], indirect=True)`. Time runs on from there."""
    moment = getattr(request, "param", datetime(2026, 12, 8, 10, 0, tzinfo=clock.LOCAL_TZ))
    with clock.travel(moment):
        yield moment


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on."""
    return str(request.param)


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra configuration a test module may override."""
    return {}


@pytest.fixture
def app(backend: str, request: pytest.FixtureRequest, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app on a clean database of the chosen backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "portal.sqlite3"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
    application = create_app(_test_config(url, tmp_path / "files", **app_config))
    with application.app_context():
        yield application
        db.session.remove()
        if backend == "postgresql":
            reset_postgres()
        db.engine.dispose()


class RequestIsolatedClient(FlaskClient):
    """A test client whose requests each start with an empty `g`, as in production.

    Tests hold an app context open for database access, and Flask reuses an open app context for requests,
    so without this `g` (where Flask-WTF caches the CSRF token) would leak from one request to the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def reset_postgres() -> None:
    """Empty every table for the next test, and put the audit chain back at its start (as the migration does)."""
    with db.engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables
                           if t.name in existing and t.name != "audit_chain_head")
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE audit_chain_head SET seq = 0, last_hash = :genesis"), {"genesis": GENESIS})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    app.test_client_class = RequestIsolatedClient
    return app.test_client()


class PortalCliRunner(FlaskCliRunner):
    """Runs the `portal` command group (portal's own commands and the app's) against the test app."""

    def invoke(self, cli: Any = None, args: Any = None, **kwargs: Any) -> Any:
        from portal.cli import cli as portal_cli

        return super().invoke(cli or portal_cli, args, **kwargs)


@pytest.fixture
def runner(app: Flask) -> Any:
    """A CLI runner for the `portal` commands."""
    app.test_cli_runner_class = PortalCliRunner
    return app.test_cli_runner()
