"""The README tells a newcomer the truth (issue 27 point 9): the first hour's logins are the demo's, and the "Where
things are" table names exactly the staff roles each address lets in (it once listed the intake meeting board,
the coordinator's, under reception)."""

from __future__ import annotations

import re

from babel import Locale
from click.testing import CliRunner
from flask import Flask

from portal import config
from portal.cli import dev
from portal.demo import DEMO_RESIDENTS, DEMO_STAFF
from portal.roles import Role, grants

README = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
ROLE_WORDS = {"reception": Role.RECEPTION, "coordinator": Role.COORDINATOR, "caseworker": Role.CASEWORKER,
              "caseworkers": Role.CASEWORKER, "outreach": Role.OUTREACH, "administrator": Role.ADMIN}


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def _staff_rows() -> dict[str, set[Role]]:
    """address -> the roles the table names, for every /staff/ row of "Where things are"."""
    rows: dict[str, set[Role]] = {}
    for line in _section("Where things are").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        address = re.fullmatch(r"`(/staff/[^`]*)`", cells[0]) if len(cells) == 3 else None
        if address:
            named = {ROLE_WORDS[word] for word in re.split(r",\s*", cells[1])}
            # DESIGN.md §6: a coordinator may do everything reception may, so "reception" includes them.
            rows[address.group(1)] = named | ({Role.COORDINATOR} if Role.RECEPTION in named else set())
    return rows


def test_the_first_hours_logins_are_the_demos() -> None:
    first_hour = _section("Your first hour")
    named = {(number.replace("-", ""), name, language) for number, name, language in
             re.findall(r"`(\d{8}-\d{4})` \(([^,]+),\s+(\w+)\)", first_hour)}
    english = Locale.parse("en").languages
    assert named == {(number, name, english[code]) for number, name, code in DEMO_RESIDENTS}
    accounts = {email: role for email, _, role in DEMO_STAFF}
    said = re.findall(r"\*\*As (?:an? )?(\w+)\*\* \(`([^`]+)`\)", first_hour.replace("**As a\n   caseworker**",
                                                                                       "**As a caseworker**"))
    assert {role for role, _ in said} >= {"reception", "coordinator", "outreach"}
    for role, email in said:
        assert accounts[email] == ROLE_WORDS[role], email
    assert "--port" in CliRunner().invoke(dev, ["--help"]).output and "portal dev --port" in first_hour


def test_each_staff_address_lets_in_exactly_the_roles_the_table_names(app: Flask) -> None:
    rows = _staff_rows()
    assert "/staff/intag/mote" in rows and rows["/staff/intag/mote"] == {Role.COORDINATOR}
    allowed: dict[str, set[Role]] = {address: set() for address in rows}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access", None)
        if access is None or access[0] != "staff" or "GET" not in (rule.methods or set()):
            continue
        # A page belongs to the most specific row whose address it starts with.
        owners = [address for address in rows if rule.rule.startswith(address.rstrip("/"))]
        if not owners:
            continue
        owner = max(owners, key=len)
        allowed[owner] |= {role for role in Role if grants(role, access[1])}
    differences = {address: (sorted(rows[address]), sorted(allowed[address])) for address in rows
                   if rows[address] != allowed[address]}
    assert differences == {}, "README names (left), the routes let in (right)"
