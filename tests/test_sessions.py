"""Sessions that can be ended (issue 23): kept on the server, a session id in the cookie and nothing else, ended by
logout, by any change to the account, by idle and absolute limits; login failures throttled per account and
address; the client's address behind a trusted proxy."""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from itsdangerous import BadSignature
from sqlalchemy import select

from portal import config
from portal.audit import AuditEvent
from portal.config import ConfigError
from portal.db import db, utcnow
from portal.roles import Role
from portal.sessions import WebSession, store_key
from portal.staff import service
from portal.staff.models import LoginThrottle
from portal.staff.service import get_staff_by_email
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_resident, login_staff, submit

COOKIE = "portal_session"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(app: Flask, value: str) -> FlaskClient:
    """Another browser holding a copy of a cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other


def _opens_queue(client: FlaskClient) -> bool:
    response = client.get("/staff/intag/")
    assert response.status_code in (200, 302, 403)
    return response.status_code == 200


# --- 1. Logout, and every change to the account, ends sessions on the server ---------------------------------


def test_a_staff_cookie_copied_before_logout_opens_nothing_after_it(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    assert _opens_queue(client)
    copied = _cookie(client)
    submit(client, "/staff/", {}, action="/staff/logout")
    assert not _opens_queue(_replay(app, copied))


def test_a_resident_cookie_copied_before_logout_opens_nothing_after_it(client: FlaskClient, app: Flask) -> None:
    login_resident(client, "201701012393")
    assert client.get("/sv/ansokan/").status_code == 200
    copied = _cookie(client)
    submit(client, "/sv/", {}, action="/sv/logga-ut")
    response = _replay(app, copied).get("/sv/ansokan/")
    assert response.status_code == 302
    assert "/logga-in" in response.headers["Location"]


def test_login_gives_a_new_session_id(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    client.get("/staff/login")
    before = _cookie(client)
    login_staff(client, "rita@example.org", PASSWORD)
    assert _cookie(client) != before
    assert not _opens_queue(_replay(app, before)), "a session id planted before login is not logged in"


def _admin(app: Flask) -> FlaskClient:
    create_staff_user(email="ada@example.org", role=Role.ADMIN, name="Ada")
    admin = app.test_client()
    assert login_staff(admin, "ada@example.org", PASSWORD).status_code == 302
    return admin


def _two_sessions(app: Flask, client: FlaskClient, role: Role = Role.RECEPTION) -> FlaskClient:
    create_staff_user(role=role, name="Rita")
    login_staff(client, "rita@example.org", PASSWORD)
    laptop = app.test_client()
    login_staff(laptop, "rita@example.org", PASSWORD)
    assert _opens_queue(client) and _opens_queue(laptop)
    return laptop


def _account_action(admin: FlaskClient, action: str, data: dict[str, Any] | None = None) -> Any:
    user = get_staff_by_email("rita@example.org")
    return submit(admin, "/staff/konton/", data or {}, action=f"/staff/konton/{user.id}/{action}")


def test_deactivating_an_account_ends_all_its_sessions_at_once(client: FlaskClient, app: Flask) -> None:
    laptop = _two_sessions(app, client)
    admin = _admin(app)
    assert _account_action(admin, "inaktivera").status_code == 302
    assert not _opens_queue(client)
    assert not _opens_queue(laptop)
    assert login_staff(app.test_client(), "rita@example.org", PASSWORD).status_code == 401
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.deactivate")).one()
    assert (event.actor_label, event.object_id) == ("ada@example.org", str(get_staff_by_email("rita@example.org").id))
    assert _account_action(admin, "aktivera").status_code == 302
    assert login_staff(app.test_client(), "rita@example.org", PASSWORD).status_code == 302


def test_demoting_an_account_ends_its_sessions_and_the_role_comes_from_the_database(
        client: FlaskClient, app: Flask) -> None:
    laptop = _two_sessions(app, client, role=Role.COORDINATOR)
    assert client.get("/staff/intag/mote").status_code == 200
    admin = _admin(app)
    assert _account_action(admin, "roll", {"role": "caseworker"}).status_code == 302
    assert get_staff_by_email("rita@example.org").role == Role.CASEWORKER
    assert not _opens_queue(client) and not _opens_queue(laptop)
    # Logged in again, the new role is what counts, and a role changed in the database counts at once.
    login_staff(client, "rita@example.org", PASSWORD)
    assert client.get("/staff/intag/mote").status_code == 403
    user = get_staff_by_email("rita@example.org")
    user.role = Role.COORDINATOR
    db.session.commit()
    assert client.get("/staff/intag/mote").status_code == 200


def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(runner: Any, app: Flask) -> None:
    create_staff_user(email="ada@example.org", role=Role.ADMIN)
    for args in (["deactivate", "ada@example.org"], ["set-role", "ada@example.org", "reception"]):
        result = runner.invoke(args=["staff", *args])
        assert result.exit_code != 0
        assert "sista aktiva administratörskontot" in result.output
    assert get_staff_by_email("ada@example.org").active


@pytest.mark.parametrize("command", [["deactivate"], ["set-role", "outreach"], ["reset-password"], ["reset-mfa"]])
def test_each_account_command_ends_all_sessions_and_is_audited(client: FlaskClient, app: Flask, runner: Any,
                                                               command: list[str]) -> None:
    laptop = _two_sessions(app, client)
    result = runner.invoke(args=["staff", command[0], "rita@example.org", *command[1:]])
    assert result.exit_code == 0, result.output
    assert not _opens_queue(client) and not _opens_queue(laptop)
    action = {"deactivate": "staff.deactivate", "set-role": "staff.set_role", "reset-password": "staff.reset_password",
              "reset-mfa": "staff.reset_mfa"}[command[0]]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).one()
    assert (event.actor_kind, event.actor_label) == ("system", "cli")


def test_a_password_reset_link_lets_the_person_set_a_new_password_once(client: FlaskClient, app: Flask,
                                                                        runner: Any) -> None:
    create_staff_user()
    result = runner.invoke(args=["staff", "reset-password", "rita@example.org"])
    assert result.exit_code == 0, result.output
    link = re.search(r"https?://\S+/staff/nytt-losenord/(\S+)", result.output)
    assert link is not None
    path = f"/staff/nytt-losenord/{link.group(1)}"
    assert login_staff(client, "rita@example.org", PASSWORD).status_code == 401, "the old password is gone"
    assert submit(client, path, {"password": "a brand new passphrase", "confirm": "a different one"}).status_code == 400
    response = submit(client, path, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert login_staff(client, "rita@example.org", "a brand new passphrase").status_code == 302
    assert client.get(path).status_code == 404, "the link works once"


def test_an_administrator_resets_a_password_and_a_second_factor_on_the_page(client: FlaskClient, app: Flask) -> None:
    create_staff_user(name="Rita")
    admin = _admin(app)
    soup = get_page(admin, "/staff/konton/")
    assert "rita@example.org" in soup.get_text()
    assert "staff.accounts_list" in db.session.scalars(select(AuditEvent.action)).all()
    page = _account_action(admin, "nytt-losenord")
    assert page.status_code == 200
    assert re.search(r"/staff/nytt-losenord/[\w-]{40,}", page.get_data(as_text=True))
    user = get_staff_by_email("rita@example.org")
    user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
    db.session.commit()
    assert _account_action(admin, "ny-kod").status_code == 302
    user = get_staff_by_email("rita@example.org")
    assert user.totp_secret is None and user.totp_enabled_at is None


def test_account_pages_are_for_administrators_only(client: FlaskClient, app: Flask) -> None:
    create_staff_user(role=Role.COORDINATOR)
    login_staff(client, "rita@example.org", PASSWORD)
    assert client.get("/staff/konton/").status_code == 403
    user = get_staff_by_email("rita@example.org")
    token = submit(client, "/staff/", {}, action="/staff/logout")  # any page's token will do for the POST below
    assert token.status_code == 302
    login_staff(client, "rita@example.org", PASSWORD)
    assert submit(client, "/staff/", {"role": "admin"}, action=f"/staff/konton/{user.id}/roll").status_code == 403
    assert get_staff_by_email("rita@example.org").role == Role.COORDINATOR


# --- 1. What the cookie holds, and sessions that do not exist -------------------------------------------------


def test_the_cookie_holds_a_session_id_and_nothing_else(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    value = _cookie(client)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value), "256 random bits, URL-safe"
    with pytest.raises(BadSignature):
        SecureCookieSessionInterface().get_signing_serializer(app).loads(value)
    # The store keeps it under the id's hash: a copy of the table holds no cookie.
    stored = db.session.scalars(select(WebSession.store_id)).all()
    assert store_key(value) in stored and value not in stored


class TestDuringEnrolment:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"STAFF_MFA": True}

    def test_the_totp_secret_being_enrolled_is_not_in_the_cookie(self, client: FlaskClient, app: Flask) -> None:
        create_staff_user()
        login_staff(client, "rita@example.org", PASSWORD)
        secret = get_page(client, "/staff/login/aktivera-kod").find("code").get_text()
        value = _cookie(client)
        assert secret not in value
        with pytest.raises(BadSignature):
            SecureCookieSessionInterface().get_signing_serializer(app).loads(value)

    def test_the_password_step_expires_in_minutes(self, client: FlaskClient, app: Flask) -> None:
        create_staff_user()
        login_staff(client, "rita@example.org", PASSWORD)
        assert client.get("/staff/login/aktivera-kod").status_code == 200
        with client.session_transaction() as session:
            session["started"] = int(time.time()) - app.config["STAFF_LOGIN_STEP_MINUTES"] * 60 - 1
        response = client.get("/staff/login/aktivera-kod")
        assert response.status_code == 302
        assert response.headers["Location"] == "/staff/login"

    def test_wrong_codes_count_like_wrong_passwords(self, client: FlaskClient, app: Flask) -> None:
        create_staff_user()
        login_staff(client, "rita@example.org", PASSWORD)
        secret = get_page(client, "/staff/login/aktivera-kod").find("code").get_text()
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            assert submit(client, "/staff/login/aktivera-kod", {"code": "000000"}).status_code in (302, 400)
        # Locked from this address: the right code, and then the right password, are refused.
        response = submit(client, "/staff/login", {"code": pyotp.TOTP(secret).now()},
                          action="/staff/login/aktivera-kod")
        assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
        assert login_staff(client, "rita@example.org", PASSWORD).status_code == 401
        assert service.is_locked(get_staff_by_email("rita@example.org"), "127.0.0.1")


def test_a_forged_cookie_opens_nothing(client: FlaskClient, app: Flask) -> None:
    """Signed with the app's own key (as if the key had leaked) for an administrator that does not exist."""
    forged = SecureCookieSessionInterface().get_signing_serializer(app).dumps(
        {"staff_id": 4242, "staff_role": "admin", "staff_email": "x@example.org", "seen": int(time.time())})
    other = _replay(app, forged)
    assert not _opens_queue(other)
    assert other.get("/staff/atkomstlogg/").status_code == 302


def test_a_session_for_a_staff_account_that_does_not_exist_opens_nothing(client: FlaskClient, app: Flask) -> None:
    now = int(time.time())
    with client.session_transaction() as session:
        session.update({"staff_id": 4242, "staff_version": 0, "started": now, "seen": now})
    assert not _opens_queue(client)


def test_a_busy_staff_session_ends_at_its_absolute_limit(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    with client.session_transaction() as session:
        session["started"] = int(time.time()) - int(app.config["STAFF_SESSION_MAX_HOURS"] * 3600) - 1
        session["seen"] = int(time.time())  # busy: it was used a moment ago
    assert not _opens_queue(client)


def test_a_busy_resident_session_ends_at_its_absolute_limit(client: FlaskClient, app: Flask) -> None:
    login_resident(client, "201701012393")
    with client.session_transaction() as session:
        session["started"] = int(time.time()) - int(app.config["RESIDENT_SESSION_MAX_HOURS"] * 3600) - 1
    assert client.get("/sv/ansokan/").status_code == 302


def test_expired_sessions_are_purged_from_the_store(client: FlaskClient, app: Flask) -> None:
    from portal.sessions import purge_expired

    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    db.session.add(WebSession(store_id="old", data=b"\x80", expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert purge_expired() == 1
    assert "old" not in db.session.scalars(select(WebSession.store_id)).all()
    assert _opens_queue(client)


# --- 3. Login abuse -----------------------------------------------------------------------------------------


def test_failures_from_one_address_never_lock_the_colleague_out_from_theirs(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    attacker = {"REMOTE_ADDR": "192.0.2.66"}
    token_page = "/staff/login"
    for _ in range(app.config["LOGIN_MAX_FAILURES"] * 3):
        submit_as(client, token_page, {"email": "rita@example.org", "password": "guess guess guess"}, attacker)
    assert submit_as(client, token_page, {"email": "rita@example.org", "password": PASSWORD},
                     attacker).status_code == 401, "the attacker's address is locked out"
    colleague = app.test_client()
    assert login_staff(colleague, "rita@example.org", PASSWORD).status_code == 302
    assert _opens_queue(colleague)


def submit_as(client: FlaskClient, url: str, data: dict[str, Any], environ: dict[str, str]) -> Any:
    from tests.pages import csrf_token

    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, environ_base=environ)


def test_each_lock_of_the_same_account_and_address_lasts_twice_as_long(app: Flask) -> None:
    user = create_staff_user()
    settings = {"max_failures": 5, "lock_minutes": 15}
    start = utcnow()
    periods = []
    for round_ in range(4):
        at = start + timedelta(days=round_)
        for _ in range(5):
            service.record_failure(user, "192.0.2.7", now=at, **settings)
        db.session.commit()
        throttle = db.session.scalars(select(LoginThrottle)).one()
        periods.append((throttle.locked_until - at).total_seconds() / 60)
    assert periods == [15, 30, 60, 120]
    for _ in range(5 * 10):
        service.record_failure(user, "192.0.2.7", now=start + timedelta(days=10), **settings)
    throttle = db.session.scalars(select(LoginThrottle)).one()
    assert throttle.locked_until - (start + timedelta(days=10)) <= timedelta(hours=24), "never more than a day"
    assert not service.is_locked(user, "192.0.2.8", now=start + timedelta(days=10))


# Keys made at collection are named by what they are: xdist's workers must collect the same test ids.
@pytest.mark.parametrize("key", ["x", "x" * 32, "x" * 64, config.DEVELOPMENT_SECRET, secrets.token_hex(16),
                                 "0123456789abcdef" * 4],
                         ids=["one-char", "32-same", "64-same", "development", "16-random-bytes", "repeated-block"])
def test_production_refuses_a_weak_secret_key_or_one_from_the_source(key: str) -> None:
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        config.check_safe(config.load({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": key}))


def test_production_refuses_a_long_key_copied_from_the_source() -> None:
    copied = "`development` enables the development login and relaxed cookies; "  # a string in portal/config.py
    with pytest.raises(ConfigError, match="written in the source code"):
        config.check_safe(config.load({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": copied}))


@pytest.mark.parametrize("key", [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(64)],
                         ids=["32-bytes-hex", "32-bytes-urlsafe", "64-bytes-hex"])
def test_production_accepts_a_key_of_32_random_bytes(key: str) -> None:
    config.check_safe(config.load({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": key}))


# --- 4. Behind a trusted proxy ------------------------------------------------------------------------------


class TestBehindOneTrustedProxy:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"TRUSTED_PROXIES": 1, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def _post(self, client: FlaskClient, token: str, client_address: str, proto: str = "http") -> int:
        return client.post("/staff/login", data={"csrf_token": token, "email": "rita@example.org",
                                                 "password": "wrong password!!"},
                           headers={"X-Forwarded-For": client_address, "X-Forwarded-Proto": proto},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code

    def test_rate_limits_and_the_audit_log_see_the_client_not_the_proxy(self, client: FlaskClient,
                                                                        app: Flask) -> None:
        from tests.pages import csrf_token

        create_staff_user()
        token = csrf_token(client, "/staff/login")
        statuses = [self._post(client, token, "203.0.113.1") for _ in range(11)]
        assert statuses[-1] == 429
        assert self._post(client, token, "203.0.113.2") == 401, "another resident behind the same proxy"
        addresses = set(db.session.scalars(select(AuditEvent.remote_addr).where(
            AuditEvent.action == "staff.login_failed")))
        assert addresses == {"203.0.113.1", "203.0.113.2"}

    def test_forms_work_over_https_at_the_proxy(self, client: FlaskClient, app: Flask) -> None:
        from tests.pages import csrf_token

        create_staff_user()
        token = csrf_token(client, "/staff/login")
        # The browser sends no Referer (Referrer-Policy: no-referrer); the CSRF token alone is checked.
        assert self._post(client, token, "203.0.113.3", proto="https") == 401


class TestWithoutTrustedProxies:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_forwarded_headers_are_ignored(self, client: FlaskClient, app: Flask) -> None:
        from tests.pages import csrf_token

        create_staff_user()
        token = csrf_token(client, "/staff/login")
        client.post("/staff/login", data={"csrf_token": token, "email": "rita@example.org", "password": "wrong!!"},
                    headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.login_failed")).one()
        assert event.remote_addr == "10.0.0.1"


# --- 1. The Redis store, for several web processes ---------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real Redis server on loopback for this module (Debian's redis-server, as in the Makefile)."""
    import shutil
    import socket
    import subprocess

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make test installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from redis import Redis

    client = Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except Exception:  # not up yet
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


class TestInRedis:
    @pytest.fixture
    def app_config(self, redis_url: str) -> dict[str, Any]:
        return {"SESSION_STORAGE_URL": redis_url}

    def test_sessions_live_in_redis_under_hashed_keys_and_end_there(self, client: FlaskClient, app: Flask,
                                                                     redis_url: str, runner: Any) -> None:
        from redis import Redis

        create_staff_user()
        login_staff(client, "rita@example.org", PASSWORD)
        assert _opens_queue(client)
        value = _cookie(client)
        redis = Redis.from_url(redis_url)
        assert redis.exists(store_key(value, "portal:session:")) and not redis.exists(f"portal:session:{value}")
        assert 0 < redis.ttl(store_key(value, "portal:session:")) <= 61 * 60
        assert db.session.scalars(select(WebSession)).all() == [], "nothing in the database store"
        laptop = app.test_client()
        login_staff(laptop, "rita@example.org", PASSWORD)
        submit(client, "/staff/", {}, action="/staff/logout")
        assert not redis.exists(store_key(value, "portal:session:"))
        assert not _opens_queue(_replay(app, value))
        assert _opens_queue(laptop)
        assert runner.invoke(args=["staff", "deactivate", "rita@example.org"]).exit_code == 0
        assert not _opens_queue(laptop)
