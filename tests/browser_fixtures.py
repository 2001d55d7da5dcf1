"""Browser tier (pytest plugin): the app served over HTTP, driven by Chromium through Playwright, checked by axe."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from portal import create_app
from portal.db import db
from tests.conftest import BACKENDS, _test_config, reset_postgres
from tests.factories import PASSWORD

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium() -> str:
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The app served by a real HTTP server in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.port = _free_port()
        self.server: BaseWSGIServer = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Serve in the background."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=BACKENDS)
def live_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a clean database of each backend, for a live server."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "live.sqlite3"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
    app = create_app(_test_config(url, tmp_path / "files"))
    yield app
    with app.app_context():
        db.session.remove()
        if request.param == "postgresql":
            reset_postgres()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    """The live server's base URL and app."""
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page (no cookies from other tests), phone-sized by default."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    new_page = context.new_page()
    yield new_page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious or critical WCAG 2.1 A/AA violations on the current page."""
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations: list[dict[str, Any]] = result.response["violations"]
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> list[str]:
    """Readable lines for an assertion message."""
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})" for v in violations]


def staff_log_in(page: Page, base: str, email: str) -> None:
    """Log a staff member in through the login page (the tests' password, no second factor in tests)."""
    page.goto(base + "/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/staff/")
