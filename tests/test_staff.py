"""Staff accounts: login, lockout, roles, session timeout, the create command."""

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit import AuditEvent
from portal.db import db
from portal.roles import Role
from portal.staff.service import get_staff_by_email, is_locked
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff


def test_staff_logs_in_and_sees_the_home_for_their_role(client: FlaskClient, app: Flask) -> None:
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
    response = login_staff(client, "Sam@Example.org ", PASSWORD)
    assert response.status_code == 302
    soup = get_page(client, "/staff/", lang="sv")
    assert "samordnare" in soup.get_text()


def test_wrong_password_and_unknown_account_get_the_same_answer(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    wrong = login_staff(client, "rita@example.org", "wrong password!!")
    unknown = login_staff(client, "nobody@example.org", "wrong password!!")
    assert wrong.status_code == unknown.status_code == 401

    def message(response: object) -> str:
        from bs4 import BeautifulSoup

        return BeautifulSoup(response.get_data(as_text=True), "html.parser").find(class_="error-summary").get_text()

    assert message(wrong) == message(unknown)


def test_account_locks_after_repeated_failures_even_for_the_right_password(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login_staff(client, "rita@example.org", "wrong password!!")
    assert login_staff(client, "rita@example.org", PASSWORD).status_code == 401
    # Locked for this address (the test client's), not for every address: see test_sessions.py.
    assert is_locked(get_staff_by_email("rita@example.org"), "127.0.0.1")


def test_staff_pages_need_login(client: FlaskClient) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_logout_ends_the_session(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    from tests.pages import submit

    submit(client, "/staff/", {}, action="/staff/logout")
    assert client.get("/staff/").status_code == 302


def test_idle_staff_session_expires(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["STAFF_SESSION_MINUTES"] * 60 - 1
    assert client.get("/staff/").status_code == 302


def test_login_is_audited(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "staff.login" in actions


def test_staff_create_reads_the_password_from_stdin(runner: object, app: Flask) -> None:
    result = runner.invoke(args=["staff", "create", "new@example.org", "--role", "outreach"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert get_staff_by_email("new@example.org").role == Role.OUTREACH


def test_staff_create_refuses_a_short_password(runner: object, app: Flask) -> None:
    result = runner.invoke(args=["staff", "create", "new@example.org", "--role", "admin"], input="short\n")
    assert result.exit_code != 0
    assert "minst 12 tecken" in result.output


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_staff_home(client: FlaskClient, app: Flask, role: Role) -> None:
    create_staff_user(email=f"{role.value}@example.org", role=role)
    login_staff(client, f"{role.value}@example.org", PASSWORD)
    get_page(client, "/staff/")


def test_a_session_is_sent_back_only_when_it_changes(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    client.get("/staff/")  # shows (and so removes) what the login flashed, and makes the form's CSRF token
    assert "Set-Cookie" not in client.get("/staff/").headers, "the last activity is kept to the half minute"
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31
    assert "portal_session=" in client.get("/staff/").headers.get("Set-Cookie", ""), "a later visit is stored"
    assert "portal_session=" in client.get("/sv/").headers.get("Set-Cookie", ""), "the language is stored"
    assert "Set-Cookie" not in client.get("/sv/").headers, "the language, unchanged, is not stored again"
    assert "portal_session=" in client.get("/en/").headers.get("Set-Cookie", "")
