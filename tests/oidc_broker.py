"""A real OpenID Connect provider for the tests (pytest plugin): panva's oidc-provider, run by Node on loopback.

`tests/oidc_provider/server.js` configures it like a Swedish e-ID broker. `make test` installs it (`npm ci`
into tests/oidc_provider/node_modules when package-lock.json changes); the session fixture `oidc_broker` starts
it on a free port, waits for its discovery document, and stops it at the end.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.config import SUPPORTED_LANGUAGES

START_SECONDS = 120
PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
# What the Flask test client calls the portal (url_for(..., _external=True) inside a test request).
PORTAL = "http://localhost"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Broker:
    """The running provider, its client registration for the portal, and its test-only controls."""

    issuer: str
    client_id: str
    client_secret: str
    started_in: float
    log: Path
    http: requests.Session = field(default_factory=requests.Session)

    def add_account(self, account_id: str, *, claims: dict[str, Any], acr: str) -> None:
        """An account whose ID token carries exactly these claims and this assurance level."""
        self._admin("/_test/accounts", {"id": account_id, "claims": claims, "acr": acr})

    def change_next_id_token(self, **change: Any) -> None:
        """The next token response's ID token changed and signed again (see server.js)."""
        self._admin("/_test/next-token", change)

    def reset(self) -> None:
        """Forget registered accounts and pending changes."""
        self._admin("/_test/reset", {})

    def _admin(self, path: str, body: dict[str, Any]) -> None:
        response = self.http.post(self.issuer + path, json=body, timeout=5)
        response.raise_for_status()

    def portal_config(self) -> dict[str, Any]:
        """The portal's settings for this broker, e-ID only (no development login)."""
        return {"DEVELOPMENT": False, "DEV_LOGIN": False, "OIDC_ISSUER": self.issuer,
                "OIDC_CLIENT_ID": self.client_id, "OIDC_CLIENT_SECRET": self.client_secret}


@pytest.fixture(scope="session")
def oidc_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """Start the provider for this test session (each xdist worker gets its own) and stop it afterwards."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is missing: the e-ID tests run a real OpenID provider on Node 20 or later")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("The test OpenID provider is not installed: run `make test`, or `npm ci` in tests/oidc_provider")
    client_id, client_secret = "portal", secrets.token_urlsafe(32)
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    # Two RSA keys are made at start: under a second on an idle machine. Once in a full suite on two cores both
    # workers' providers printed their first line and then nothing for 120 s (the same code starts in 0.6 s
    # alone): such a start is stopped and the provider started once more, on a new port, before the tests fail.
    process: subprocess.Popen[bytes] | None = None
    try:
        for _ in range(2):
            started = time.monotonic()
            process, issuer = _start(node, client_id, client_secret, log)
            if _answers(process, issuer, log, deadline=started + START_SECONDS):
                break
            _stop(process)
            process = None
        if process is None:
            pytest.fail(f"the test OpenID provider did not answer within {START_SECONDS} s, twice:\n"
                        f"{log.read_text()}")
        yield Broker(issuer=issuer, client_id=client_id, client_secret=client_secret,
                     started_in=time.monotonic() - started, log=log)
    finally:
        if process is not None:
            _stop(process)


def _start(node: str, client_id: str, client_secret: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the provider on a free port, its output appended to `log`; returns the process and its issuer."""
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PORT": str(port),
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": client_secret,
        "REDIRECT_URIS": " ".join(f"{PORTAL}/{lang}/logga-in/e-legitimation/klar" for lang in SUPPORTED_LANGUAGES),
        "POST_LOGOUT_REDIRECT_URIS": " ".join(f"{PORTAL}/{lang}/" for lang in SUPPORTED_LANGUAGES),
        "NODE_ENV": "test",
    }
    with log.open("ab") as out:
        process = subprocess.Popen([node, "server.js"], cwd=PROVIDER_DIR, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def _answers(process: subprocess.Popen[bytes], issuer: str, log: Path, *, deadline: float) -> bool:
    """Wait until the provider answers its discovery document (True) or the deadline passes (False); a
    provider that stops fails the tests at once, with its log."""
    while True:
        if process.poll() is not None:
            pytest.fail(f"the test OpenID provider stopped at start:\n{log.read_text()}")
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=1).ok:
                return True
        except requests.RequestException:  # not listening yet, or too busy to answer within the second
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def broker(oidc_broker: Broker) -> Iterator[Broker]:
    """The session's provider, with nothing left over from the previous test."""
    oidc_broker.reset()
    yield oidc_broker
    oidc_broker.reset()


class Resident:
    """A resident's browser: the portal through the Flask test client, the broker over real HTTP.

    Redirects between the two are followed by hand, the way a browser would, so each step can be looked at.
    """

    def __init__(self, client: FlaskClient, broker: Broker) -> None:
        self.client = client
        self.broker = broker
        self.http = requests.Session()

    def start(self, lang: str = "sv", next_url: str = "") -> str:
        """Press "Logga in med e-legitimation": the portal's redirect to the broker's authorisation endpoint."""
        url = f"/{lang}/logga-in/e-legitimation" + (f"?next={next_url}" if next_url else "")
        response = self.client.get(url)
        assert response.status_code == 302, response.status_code
        location = response.headers["Location"]
        assert location.startswith(self.broker.issuer + "/auth?"), location
        return location

    def at_broker(self, url: str) -> requests.Response:
        """Follow the broker's redirects until it shows a page or sends the browser back to the portal."""
        while True:
            response = self.http.get(url, allow_redirects=False, timeout=10)
            if response.status_code not in (302, 303):
                return response
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.broker.issuer):
                response.url = url
                return response

    def back_from_broker(self, url: str) -> str:
        """Where the broker's redirects (if any) finally send the browser back to the portal."""
        if not url.startswith(self.broker.issuer):
            return url
        back = self.at_broker(url)
        assert str(back.url).startswith(PORTAL + "/"), back.url
        return str(back.url)

    def identify(self, login_page: requests.Response, account: str) -> str:
        """Identify at the broker's login page as `account`; returns the redirect back to the portal."""
        assert login_page.status_code == 200, login_page.text
        uid = urlsplit(login_page.url).path.rsplit("/", 1)[-1]
        response = self.http.post(f"{self.broker.issuer}/interaction/{uid}/login", data={"login": account},
                                  allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text
        back = self.at_broker(urljoin(self.broker.issuer, response.headers["Location"]))
        assert back.url.startswith(PORTAL + "/"), back.url
        return str(back.url)

    def authorise(self, account: str, lang: str = "sv", next_url: str = "") -> str:
        """From the portal's button to the broker's answer (the callback URL with code and state)."""
        login_page = self.at_broker(self.start(lang, next_url))
        return self.identify(login_page, account)

    def back_to_portal(self, callback: str) -> TestResponse:
        """The browser arriving at the portal's callback with the broker's answer."""
        parts = urlsplit(callback)
        return self.client.get(f"{parts.path}?{parts.query}")

    def log_in(self, account: str, lang: str = "sv") -> TestResponse:
        """The whole e-ID login."""
        return self.back_to_portal(self.authorise(account, lang))


def query(url: str) -> dict[str, str]:
    """A URL's query parameters (each given once)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
