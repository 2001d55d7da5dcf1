"""The access matrix, generated from the app's own URL map: every route declares who may use it, and gets it.

A new route without `public`, `resident_required` or `staff_required` fails here.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from portal.roles import Role, grants
from tests.factories import PASSWORD, create_staff_user
from tests.pages import login_resident, login_staff

UNMARKED_OK = {"static"}
SAMPLE_VALUES = {"lang": "sv", "int": "999999", "default": "zzzz-does-not-exist"}


def _rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in UNMARKED_OK]


def _access(app: Flask, rule: Rule) -> tuple[str, frozenset[Role]] | None:
    view = app.view_functions[rule.endpoint]
    return getattr(view, "access", None)


def _url(rule: Rule) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name == "lang":
            return "sv"
        if converter and converter.startswith("int"):
            return SAMPLE_VALUES["int"]
        return SAMPLE_VALUES["default"]

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)


def test_every_route_declares_its_access(app: Flask) -> None:
    missing = [rule.rule for rule in _rules(app) if _access(app, rule) is None]
    assert missing == [], "routes without public/resident_required/staff_required"


def _get_rules(app: Flask, kind: str) -> list[Rule]:
    return [r for r in _rules(app) if "GET" in (r.methods or set()) and (_access(app, r) or ("",))[0] == kind]


def test_anonymous_visitors_are_sent_to_login_from_every_protected_page(app: Flask, client: FlaskClient) -> None:
    for rule in _get_rules(app, "staff"):
        response = client.get(_url(rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/staff/login"), rule.rule
    for rule in _get_rules(app, "resident"):
        response = client.get(_url(rule))
        assert response.status_code == 302, rule.rule
        assert "/logga-in" in response.headers["Location"], rule.rule


def test_anonymous_posts_to_protected_routes_never_succeed(app: Flask, client: FlaskClient) -> None:
    for rule in _rules(app):
        access = _access(app, rule)
        if access is None or access[0] == "public" or "POST" not in (rule.methods or set()):
            continue
        response = client.post(_url(rule), data={})
        assert response.status_code in (302, 400, 403, 404), rule.rule


@pytest.mark.parametrize("role", list(Role))
def test_each_staff_role_gets_exactly_the_pages_it_is_allowed(app: Flask, client: FlaskClient, role: Role) -> None:
    create_staff_user(email=f"{role.value}@example.org", role=role)
    login_staff(client, f"{role.value}@example.org", PASSWORD)
    for rule in _get_rules(app, "staff"):
        allowed = _access(app, rule)[1]  # type: ignore[index]
        response = client.get(_url(rule))
        if allowed and not grants(role, allowed):
            assert response.status_code == 403, f"{role}: {rule.rule}"
        else:
            assert response.status_code in (200, 302, 404), f"{role}: {rule.rule} gave {response.status_code}"


def test_residents_cannot_reach_staff_pages(app: Flask, client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    for rule in _get_rules(app, "staff"):
        response = client.get(_url(rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/staff/login"), rule.rule


def test_staff_are_not_residents(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    login_staff(client, "admin@example.org", PASSWORD)
    for rule in _get_rules(app, "resident"):
        response = client.get(_url(rule))
        assert response.status_code == 302, rule.rule


def test_every_page_carries_the_security_headers(app: Flask, client: FlaskClient) -> None:
    for rule in _rules(app):
        if "GET" not in (rule.methods or set()):
            continue
        response = client.get(_url(rule))
        headers = response.headers
        assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), rule.rule
        assert "unsafe-inline" not in headers["Content-Security-Policy"], rule.rule
        assert headers.get("X-Content-Type-Options") == "nosniff", rule.rule
        assert headers.get("Referrer-Policy") == "no-referrer", rule.rule
        for cookie in headers.getlist("Set-Cookie"):
            assert "HttpOnly" in cookie, (rule.rule, cookie)
            assert "SameSite=Lax" in cookie, (rule.rule, cookie)


def _with_ids(rule: Rule, ids: dict[str, int]) -> str | None:
    """The rule's URL with real ids for the one object its path names, or None when it names none of ours."""
    for prefix, object_id in ids.items():
        if rule.rule.startswith(prefix) and "<int:" in rule.rule:
            return re.sub(r"<int:\w+>", str(object_id), rule.rule, count=1)
    return None


def test_another_caseworkers_client_and_another_units_client_answer_404_on_every_route(
        app: Flask, client: FlaskClient) -> None:
    """Need to know (issue 22): a caseworker opens their own client's notice and item; a colleague with other
    clients, and a caseworker of another unit, get the same 404 as for something that does not exist."""
    from outreach.notices.known_clients import import_register
    from outreach.pipeline.run import run_pass
    from portal.db import db
    from portal.intake.models import IntakeItem
    from tests.intake.factories import create_item
    from tests.outreach.factories import import_rows, notice_by_reference, row

    import_register(b"personnummer;enhet;handlaggare;epost\n"
                    b"201701012393;Enheten f\xc3\xb6r ekonomiskt bist\xc3\xa5nd;Sara Nilsson;sara@example.org\n")
    import_rows(row(referens="MINE", personnummer="201701012393", namn="Klient Klientsson"))
    run_pass()
    notice = notice_by_reference("MINE")
    own = create_staff_user(email="sara@example.org", role=Role.CASEWORKER, name="Sara Nilsson")
    item = create_item(person_id=notice.person_id)
    db.session.get(IntakeItem, item.id).assigned_to_id = own.id  # type: ignore[union-attr]
    db.session.commit()
    ids = {"/staff/underrattelser/": notice.id, "/staff/intag/": item.id}
    login_staff(client, "sara@example.org", PASSWORD)
    assert client.get(f"/staff/underrattelser/{notice.id}").status_code == 200
    assert client.get(f"/staff/intag/{item.id}").status_code == 200
    client.post("/staff/logout")
    create_staff_user(email="colleague@example.org", role=Role.CASEWORKER, name="Kalle Kollega")
    create_staff_user(email="other-unit@example.org", role=Role.CASEWORKER, name="Vera Vuxen").unit = "Vuxenenheten"
    create_staff_user(email="unit@example.org", role=Role.CASEWORKER,
                      name="Ulla Enhet").unit = "Enheten för ekonomiskt bistånd"
    db.session.commit()
    login_staff(client, "unit@example.org", PASSWORD)
    assert client.get(f"/staff/underrattelser/{notice.id}").status_code == 200  # the client's unit has need to know
    client.post("/staff/logout")
    for email in ("colleague@example.org", "other-unit@example.org"):
        login_staff(client, email, PASSWORD)
        for rule in _rules(app):
            access = _access(app, rule)
            url = _with_ids(rule, ids)
            if url is None or access is None or access[0] != "staff":
                continue
            if "GET" in (rule.methods or set()):
                assert client.get(url).status_code in (403, 404), f"{email}: GET {url}"
            if "POST" in (rule.methods or set()):
                assert client.post(url, data={}).status_code in (400, 403, 404), f"{email}: POST {url}"
        assert client.get(f"/staff/underrattelser/{notice.id}").status_code == 404
        client.post("/staff/logout")
