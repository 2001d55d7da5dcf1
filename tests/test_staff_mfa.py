"""The staff second factor: enrolment with a QR code, codes used once, recovery codes."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import config
from portal.config import ConfigError
from portal.staff.service import get_staff_by_email
from tests.factories import GOOD_KEY, PASSWORD, create_staff_user
from tests.pages import get_page, login_staff, submit


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"STAFF_MFA": True}


def _enrol(client: FlaskClient) -> tuple[str, list[str]]:
    response = login_staff(client, "rita@example.org", PASSWORD)
    assert response.headers["Location"] == "/staff/login/aktivera-kod"
    soup = get_page(client, "/staff/login/aktivera-kod")
    assert soup.find("img")["src"].startswith("data:image/svg+xml")
    secret = soup.find("code").get_text()
    done = submit(client, "/staff/login/aktivera-kod", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_password_alone_does_not_open_staff_pages(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_first_login_enrols_and_then_needs_a_code(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    secret, _ = _enrol(client)
    assert client.get("/staff/").status_code == 200
    submit(client, "/staff/", {}, action="/staff/logout")
    response = login_staff(client, "rita@example.org", PASSWORD)
    assert response.headers["Location"] == "/staff/login/kod"
    next_step = int(time.time() // 30) + 1
    code = pyotp.TOTP(secret).at(next_step * 30)
    assert submit(client, "/staff/login/kod", {"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_code_cannot_be_used_twice(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    if time.time() % 30 > 25:  # enrol within one 30-second step, so the code it used is known
        time.sleep(30 - time.time() % 30)
    before = time.time()
    secret, _ = _enrol(client)
    assert int(before // 30) == int(time.time() // 30)
    submit(client, "/staff/", {}, action="/staff/logout")
    login_staff(client, "rita@example.org", PASSWORD)
    # The enrolment code itself, even if a new time step has begun since (then .now() would be a fresh code).
    code = pyotp.TOTP(secret).at(before)
    response = submit(client, "/staff/login/kod", {"code": code})
    assert response.status_code == 401
    assert client.get("/staff/").status_code == 302


def test_a_recovery_code_works_once(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    _, codes = _enrol(client)
    for expected in (302, 401):
        submit(client, "/staff/", {}, action="/staff/logout")
        login_staff(client, "rita@example.org", PASSWORD)
        assert submit(client, "/staff/login/kod", {"code": codes[0]}).status_code == expected


def test_wrong_code_is_refused(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    _enrol(client)
    submit(client, "/staff/", {}, action="/staff/logout")
    login_staff(client, "rita@example.org", PASSWORD)
    assert submit(client, "/staff/login/kod", {"code": "000000"}).status_code == 401
    assert get_staff_by_email("rita@example.org").totp_enabled_at is not None


def test_code_pages_need_the_password_step_first(client: FlaskClient, app: Flask) -> None:
    assert client.get("/staff/login/kod").headers["Location"] == "/staff/login"
    assert client.get("/staff/login/aktivera-kod").headers["Location"] == "/staff/login"


def test_production_refuses_to_start_with_the_second_factor_off() -> None:
    env = {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": GOOD_KEY, "PORTAL_STAFF_MFA": "off"}
    with pytest.raises(ConfigError, match="PORTAL_STAFF_MFA"):
        config.check_safe(config.load(env))


def test_the_enrolment_qr_code_scans_to_the_secret_shown_beside_it(client: FlaskClient, app: Flask,
                                                                    tmp_path: Path) -> None:
    from portal.pdf import html_to_pdf
    from tests.scan import qr_codes_in_pdf

    create_staff_user()
    login_staff(client, "rita@example.org", PASSWORD)
    soup = get_page(client, "/staff/login/aktivera-kod")
    secret = soup.find("code").get_text()
    # The page's own image, drawn on paper by WeasyPrint and scanned back.
    pdf = html_to_pdf(f'<!doctype html><html><body><img src="{soup.find("img")["src"]}"></body></html>')
    scanned = qr_codes_in_pdf(pdf, tmp_path)
    assert len(scanned) == 1 and scanned[0].startswith("otpauth://totp/")
    assert f"secret={secret}" in scanned[0]
